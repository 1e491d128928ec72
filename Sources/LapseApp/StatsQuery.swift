import Foundation
import LapseCore

/// How statistics group incidents.
public enum StatsGrouping: String, CaseIterable, Sendable {
    case company, year, kind, sector, jurisdiction
}

/// Delay statistics across incidents: per group and metric, the median, quartiles, p90, extremes.
public struct StatsQuery: Sendable {
    let store: any MeasuringStore

    public init(store: any MeasuringStore) { self.store = store }

    /// Summaries by group (in name order), then metric (in the order of the definitions); all
    /// incidents form one group `all` when `grouping` is nil. `--by year` takes the year of the
    /// selection's `dateOf` event when it names one (incidents without it are left out), else
    /// of the delay's from-event.
    /// Values are in `unit`, or when nil in hours for a metric whose median is under three days
    /// and in days otherwise; exact elapsed time where both ends carry a time of day.
    public func summaries(definitions: [DelayDefinition], grouping: StatsGrouping?,
                          selection: IncidentSelection = IncidentSelection(), unit: DelayUnit? = nil) throws -> [DelaySummary] {
        let dateOf = selection.filter.dateOf
        let engine = DelayEngine(definitions: definitions)
        // One number per delay and group, read a batch of incidents at a time.
        var groups: [String: [String: SummaryValues]] = [:]
        var byMetric: [String: SummaryValues] = [:]
        try selection.forEachIncident(in: store) { incident, parties in
            // The year of the --date-of event, found once per incident.
            let dated: Event? = dateOf.flatMap { type in Timeline(incident).entries.first { $0.event.type == type }?.event }
            for outcome in engine.delays(for: incident) {
                guard let delay = outcome.delay else { continue }
                for key in Self.keys(incident, delay, parties, grouping, dateOf: dateOf, dated: dated) {
                    groups[key, default: [:]][delay.metric, default: SummaryValues()].add(delay)
                }
                // Without a grouping, the one group `all` holds every delay already.
                if unit == nil && grouping != nil { byMetric[delay.metric, default: SummaryValues()].add(delay) }
            }
        }
        let order = definitions.map(\.name)
        let all = grouping == nil ? groups["all"] ?? [:] : byMetric
        let units = Dictionary(uniqueKeysWithValues: order.map { ($0, unit ?? DelaySummary.unit(for: all[$0] ?? SummaryValues())) })
        return groups.keys.sorted().flatMap { key in
            order.compactMap { metric in groups[key]?[metric].flatMap { DelaySummary(group: key, metric: metric, values: $0, unit: units[metric] ?? .days) } }
        }
    }

    static func keys(_ incident: Incident, _ delay: Delay, _ parties: [String: Party], _ grouping: StatsGrouping?, dateOf: EventType?, dated: Event?) -> [String] {
        switch grouping {
        case nil: ["all"]
        case .company: [parties[incident.organization]?.name ?? incident.organization]
        case .year:
            if dateOf != nil {
                dated.map { [String($0.at.year)] } ?? []
            } else {
                [String(delay.fromEvent.at.year)]
            }
        case .kind: incident.kinds.map(\.rawValue)
        case .sector: [parties[incident.organization]?.sector ?? "(none)"]
        case .jurisdiction: incident.jurisdictions.isEmpty ? ["(none)"] : incident.jurisdictions
        }
    }
}
