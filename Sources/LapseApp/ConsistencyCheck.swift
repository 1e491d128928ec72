import Foundation
import LapseCore

/// Finds inconsistencies in timelines: impossible orders, missing milestones, negative delays,
/// duplicates, organizations absent from their own incidents.
public struct ConsistencyCheck: Sendable {
    let store: any MeasuringStore

    public init(store: any MeasuringStore) { self.store = store }

    /// The findings for the selected incidents, people and subsidiaries acting for their organizations.
    public func run(_ selection: IncidentSelection) throws -> ConsistencyResult {
        let engine = DelayEngine()
        var findings: [Finding] = []
        let incidents = try selection.forEachIncident(in: store, withText: true) { incident, parties in
            findings += ConsistencyChecker.check(incident, engine: engine) { MeasurementSet.actsFor($0, in: parties) }
        }
        return ConsistencyResult(incidents: incidents, findings: findings)
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
