import Foundation
import LapseCore

// The HTML page of each report kind: the report's data, laid out for a reader. Sections adapt
// to the data (a metric nobody measured gets no empty chart).

extension ReportRenderer {
    func incidentHTML(_ report: IncidentReport) throws -> String {
        let delays = DelayEngine().delays(for: report.incident).compactMap(\.delay)
        let chart = TimelineChart(incident: report.incident, partyNames: input.parties.mapValues(\.name), delays: delays)
        let zone = report.incident.zone
        let families = Set(report.incident.events.map { TimelineChart.family($0.type) })
        var legend = Self.familyNames.filter { families.contains($0.cls) }
        if report.incident.events.contains(where: { $0.type == .outageStart }) { legend.append(LegendItem(cls: "outage-swatch", name: "Outage (shaded)")) }
        let view = IncidentView(report, headline: IncidentHeadline(organization: report.organizationName, delays: delays),
                                chart: ChartView(wide: chart.render(zone: zone), narrow: report.incident.events.count > TimelineChart.labelledEventLimit
                                                     ? TimelineDensityChart(chart: chart).renderNarrow(zone: zone) : chart.renderNarrow(zone: zone),
                                                 caption: chart.caption(narrow: false), narrowCaption: chart.caption(narrow: true)),
                                legend: legend)
        return try HTMLPage.render(title: report.incident.title, template: HTMLPage.incident, view: view)
    }

    static let familyNames = [LegendItem(cls: "fam-breach", name: "Breach"), LegendItem(cls: "fam-outage", name: "Outage"),
                              LegendItem(cls: "fam-word", name: "Public word"), LegendItem(cls: "fam-notice", name: "Notices and filings"),
                              LegendItem(cls: "fam-other", name: "Other")]

    func companyHTML(_ report: CompanyReport) throws -> String {
        // The party's name when the company is a known party id; the query as typed otherwise.
        let title = input.parties[report.company]?.name ?? report.company
        let metrics = ReportBuilder.metrics.filter { m in report.delays.contains { $0.metric == m } }
        let sideBySide = report.incidents.map { i in
            [i.title] + metrics.map { m in report.delays.first { $0.incident == i.id && $0.metric == m }?.span ?? "—" }
        }
        let chartTitle = "Delays of each incident of \(title)"
        let chart = ChartView(wide: Charts.incidentDelays(report.delays, incidents: report.incidents, metrics: metrics, title: chartTitle),
                              narrow: Charts.incidentDelays(report.delays, incidents: report.incidents, metrics: metrics, title: chartTitle,
                                                            width: Charts.narrowWidth),
                              caption: "One row per incident; each dot is one named delay, its colour the metric (key above); a line through a dot spans a delay known only as a range. Square-root scale of days.")
        var view = CompanyView(report, title: title, sideBySide: sideBySide, metrics: metrics, chart: chart)
        view.legend = metrics.enumerated().map { LegendItem(cls: "series-\($0 % 8)", name: DelayMetric.label($1)) }
        return try HTMLPage.render(title: "Incidents of \(title)", template: HTMLPage.company, view: view)
    }

    func portfolioHTML(_ report: PortfolioReport) throws -> String {
        let metric = report.rankedBy.flatMap(DelayMetric.init(rawValue:))
        let counts = Dictionary(report.summaries.map { ($0.metric, $0.count) }, uniquingKeysWith: +)
        let slowest = report.slowest
        let metricName = metric?.label.lowercased() ?? "no delay"
        let trend = report.trend.filter { $0.metric == metric?.rawValue }.map { ($0.group, $0.median) }
        let trendTitle = "Median \(metricName) by year"
        let summaryRows = report.summaries.map {
            [DelayMetric.label($0.metric), "\($0.count)", fmt($0.median), fmt($0.p25), fmt($0.p75), fmt($0.p90), fmt($0.min), fmt($0.max), "\($0.ranges)"]
        }
        // Deadline compliance per rule, over every incident a rule applies to.
        var perRule: [String: (law: String, notify: String, met: Int, missed: Int, other: Int)] = [:]
        for results in input.deadlines.values {
            for r in results where r.status != .notApplicable {
                var row = perRule[r.rule.id] ?? (r.rule.instrument, r.rule.notify, 0, 0, 0)
                switch r.status {
                case .met: row.met += 1
                case .missed: row.missed += 1
                default: row.other += 1
                }
                perRule[r.rule.id] = row
            }
        }
        let deadlineRows = perRule.sorted { ($0.value.law, $0.key) < ($1.value.law, $1.key) }.map {
            [$0.value.law, $0.value.notify, "\($0.value.met)", "\($0.value.missed)", "\($0.value.other)"]
        }
        func both(_ make: (Double) -> SVGNode, caption: String = "") -> ChartView {
            ChartView(wide: make(Charts.width), narrow: make(Charts.narrowWidth), caption: caption)
        }
        let view = PortfolioView(
            incidentCount: LapseReports.incidentCount(report.incidentCount),
            summaries: TableView(["metric", "count", "median", "p25", "p75", "p90", "min", "max", "ranges"], summaryRows, classes: [0: "lead", 2: "delay"]),
            slowest: TableView(["#", "incident", "organization", "from", "to", metric?.label ?? "delay"], slowest.enumerated().map {
                ["\($0 + 1)", $1.incident, $1.organization, "\(EventType.label($1.fromType ?? "")) \($1.from ?? "")", "\(EventType.label($1.toType ?? "")) \($1.to ?? "")", $1.span]
            }, classes: [1: "id", 5: "delay"]),
            slowestMetric: metric.map { "\($0.label.lowercased()), measured for \(LapseReports.incidentCount(counts[$0.rawValue] ?? 0)) of \(groupedNumber(report.incidentCount))" } ?? "",
            hasSlowest: !slowest.isEmpty,
            boxes: both({ Charts.boxPlots(report.summaries, title: "Distribution of each delay metric", width: $0) },
                        caption: "Boxes span the 25th to 75th percentile, the thick line is the median, the short tick the 90th percentile, whiskers run to the minimum and maximum (square-root scale of days)."),
            trendChart: both({ Charts.bars(trend, title: trendTitle, unit: "d", width: $0) },
                             caption: "Median \(metricName) in days, by the year the delay's first event falls in; the JSON, CSV and Markdown reports give every metric."),
            trendMetric: metricName, hasTrend: !trend.isEmpty,
            kindChart: both { Charts.bars(report.byKind.map { ($0.name, Double($0.count)) }, title: "Incidents by kind", unit: "", width: $0) },
            sectorChart: both { Charts.bars(report.bySector.prefix(15).map { ($0.name, Double($0.count)) }, title: "Incidents by sector", unit: "", width: $0) },
            deadlines: TableView(["law", "notify", "✓ met", "✗ missed", "? other"], deadlineRows, classes: [3: "delay"]),
            hasDeadlines: !deadlineRows.isEmpty)
        return try HTMLPage.render(title: "All incidents", template: HTMLPage.portfolio, view: view)
    }

    private func fmt(_ v: Double) -> String { Charts.fmt(v) }
}
