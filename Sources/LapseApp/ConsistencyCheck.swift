import Foundation
import LapseCore

/// Finds inconsistencies in timelines: impossible orders, missing milestones, negative delays,
/// duplicates, organizations absent from their own incidents.
public struct ConsistencyCheck: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// The findings for the selected incidents, people and subsidiaries acting for their organizations.
    public func run(_ selection: IncidentSelection) throws -> ConsistencyResult {
        let set = try selection.load(from: store, withText: true)
        let engine = DelayEngine()
        let findings = set.incidents.flatMap { ConsistencyChecker.check($0, engine: engine, actsFor: set.actsFor) }
        return ConsistencyResult(incidents: set.incidents.count, findings: findings)
    }
}

/// What a check found.
public struct ConsistencyResult: Sendable {
    /// How many incidents were checked.
    public var incidents: Int
    public var findings: [Finding]

    /// True when there is a warning or an error (info findings alone do not fail a strict check).
    public var hasWarnings: Bool { findings.contains { $0.severity >= .warning } }
}
