import Foundation
import LapseCore
import LapseReports

/// The data of each standalone chart (`lapse chart`), drawn by `StandaloneCharts`: an
/// incident's timeline, a company's incidents on one delay scale, the longest delays of a
/// selection.
public struct ChartQuery: Sendable {
    let store: any MeasuringStore

    public init(store: any MeasuringStore) { self.store = store }

    /// One incident's timeline; `StoreLookupError` when there is no such incident.
    public func timeline(_ id: String, settings: ChartSettings) throws -> StandaloneChart {
        let shown = try TimelineQuery(store: store).timeline(of: id)
        return StandaloneCharts.timeline(shown.incident, parties: shown.parties, settings: settings)
    }

    /// A company's incidents, resolved as `report company` resolves it (one party, or every
    /// match with `allMatches`; a `DataProblem` listing the candidates when ambiguous).
    public func company(_ name: String, allMatches: Bool, settings: ChartSettings) throws -> StandaloneChart {
        let (title, input) = try ReportInputLoader(store: store, now: 0).company(name, allMatches: allMatches)
        return StandaloneCharts.company(ReportBuilder.company(title, input: input), title: title, settings: settings)
    }

    /// The `limit` longest delays of `metric` across the selection; without a metric, the one
    /// the portfolio report ranks by (`ReportBuilder.rankingMetric`). An unknown metric name is
    /// a `DataProblem` listing the metrics.
    public func delays(_ selection: IncidentSelection, metric: String?, limit: Int, settings: ChartSettings) throws -> StandaloneChart {
        if let metric, DelayMetric(rawValue: metric) == nil {
            throw DataProblem(path: "", message: "--metric: unknown metric \"\(metric)\"; expected one of \(DelayMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var byMetric: [String: [DelayRow]] = [:]
        let incidents = try DelayQuery(store: store).measure(selection, definitions: DelayMetric.allCases.map(\.definition), includeMissing: false) {
            byMetric[$0.metric, default: []].append($0)
        }
        let chosen = metric ?? ReportBuilder.rankingMetric(counts: byMetric.mapValues(\.count))?.rawValue
        let rows = chosen.flatMap { byMetric[$0] } ?? []
        let median = DelaySummary(group: "all", metric: chosen ?? "", delays: rows.compactMap(\.days))?.median
        let ranking = DelayRanking(metric: chosen, rows: ReportBuilder.longest(rows, limit: limit), measured: Set(rows.map(\.incident)).count,
                                   incidents: incidents, median: median)
        return StandaloneCharts.delays(ranking, settings: settings)
    }
}
