import Foundation
import LapseCore

/// How statistics group incidents.
public enum StatsGrouping: String, CaseIterable, Sendable {
    case company, year, kind, sector, jurisdiction
}

/// Delay statistics across incidents: per group and metric, the median, quartiles, p90, extremes.
public struct StatsQuery: Sendable {
    let store: any IncidentReading

    public init(store: any IncidentReading) { self.store = store }

    /// Summaries by group (in name order), then metric (in the order of the definitions); all
    /// incidents form one group `all` when `grouping` is nil.
    public func summaries(definitions: [DelayDefinition], grouping: StatsGrouping?, company: String? = nil) throws -> [DelaySummary] {
        let set = try store.measurementSet(selectedBy: IncidentFilter(company: company), withText: false)
        let engine = DelayEngine(definitions: definitions)
        var groups: [String: [String: [DayDelay]]] = [:]
        for incident in set.incidents {
            for outcome in engine.delays(for: incident) {
                guard let delay = outcome.delay else { continue }
                for key in Self.keys(incident, delay, set, grouping) {
                    groups[key, default: [:]][delay.metric, default: []].append(delay.days)
                }
            }
        }
        let order = definitions.map(\.name)
        return groups.keys.sorted().flatMap { key in
            order.compactMap { metric in groups[key]?[metric].flatMap { DelaySummary(group: key, metric: metric, delays: $0) } }
        }
    }

    static func keys(_ incident: Incident, _ delay: Delay, _ set: MeasurementSet, _ grouping: StatsGrouping?) -> [String] {
        switch grouping {
        case nil: ["all"]
        case .company: [set.parties[incident.organization]?.name ?? incident.organization]
        case .year: [String(delay.fromEvent.at.year)]
        case .kind: incident.kinds.map(\.rawValue)
        case .sector: [set.parties[incident.organization]?.sector ?? "(none)"]
        case .jurisdiction: incident.jurisdictions.isEmpty ? ["(none)"] : incident.jurisdictions
        }
    }
}
