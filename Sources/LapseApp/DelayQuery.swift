import Foundation
import LapseCore
import LapseReports

/// Measures disclosure delays: one row per incident and metric.
public struct DelayQuery: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// Measures each definition on each selected incident and hands the rows over one by one,
    /// so a million delays never sit in memory. Rows lacking an end only `includeMissing`.
    /// Returns how many incidents were selected.
    @discardableResult
    public func measure(_ selection: IncidentSelection, definitions: [DelayDefinition], includeMissing: Bool,
                        row: (DelayRow) throws -> Void) throws -> Int {
        let set = try selection.load(from: store)
        let engine = DelayEngine(definitions: definitions)
        for incident in set.incidents {
            let organization = set.parties[incident.organization]?.name ?? incident.organization
            for outcome in engine.delays(for: incident) where includeMissing || outcome.delay != nil {
                try row(DelayRow(outcome, incident: incident.id, organization: organization))
            }
        }
        return set.incidents.count
    }

    /// Every row at once, with the number of incidents selected.
    public func rows(_ selection: IncidentSelection, definitions: [DelayDefinition], includeMissing: Bool) throws -> (rows: [DelayRow], incidents: Int) {
        var rows: [DelayRow] = []
        let count = try measure(selection, definitions: definitions, includeMissing: includeMissing) { rows.append($0) }
        return (rows, count)
    }
}
