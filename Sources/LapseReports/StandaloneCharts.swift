import Foundation
import LapseCore

/// The colours a standalone chart is drawn in.
public enum ChartTheme: String, CaseIterable, Sendable {
    case light, dark
}

/// How a standalone chart is drawn: its width in pixels and its theme.
public struct ChartSettings: Sendable {
    /// The widths `lapse chart --width` accepts.
    public static let widths: ClosedRange<Double> = 300...2400
    /// Below this width a chart is drawn in its narrow (phone) layout.
    public static let narrowBelow = 600.0

    public var width: Double
    public var theme: ChartTheme

    public init(width: Double = 860, theme: ChartTheme = .light) {
        self.width = width
        self.theme = theme
    }

    var isNarrow: Bool { width < Self.narrowBelow }
}

/// A ranking of incidents by one delay metric, longest first: what `lapse chart delays` draws.
public struct DelayRanking: Sendable {
    /// The metric ranked by; nil when no delay of the selection was measured.
    public var metric: String?
    /// The longest delays of that metric, longest first, cut to the limit.
    public var rows: [DelayRow]
    /// How many incidents have the metric measured, and how many were selected.
    public var measured: Int
    public var incidents: Int
    /// The median of every measured delay of the metric (not only the rows drawn).
    public var median: Double?

    public init(metric: String?, rows: [DelayRow], measured: Int, incidents: Int, median: Double?) {
        self.metric = metric
        self.rows = rows
        self.measured = measured
        self.incidents = incidents
        self.median = median
    }
}

/// A chart on its own: a self-contained SVG document (its styles inside, scoped to it; a
/// title, the finding in words, a key, the chart, a caption and a source line), the chart's
/// data as CSV, and an HTML snippet to paste into a CMS.
public struct StandaloneChart: Sendable {
    public let title: String
    /// The SVG document, drawn at the settings' width.
    public let svg: String
    public let width: Int
    public let height: Int
    /// The data drawn, one record per mark, through the CSV escaper.
    public let csv: String
    /// An HTML fragment: the chart at the settings' width, switching to the narrow layout on
    /// screens narrower than that (a scoped style, no script, nothing fetched).
    public let embed: String
}

/// Builds the standalone charts from report data (`lapse chart`).
public enum StandaloneCharts {
    // MARK: Timeline

    /// An incident's visual timeline, with the headline delay above it.
    public static func timeline(_ incident: Incident, parties: [String: Party], settings: ChartSettings) -> StandaloneChart {
        let delays = DelayEngine().delays(for: incident).compactMap(\.delay)
        let organization = parties[incident.organization]?.name ?? incident.organization
        let headline = IncidentHeadline(organization: organization, delays: delays)
        let families = Set(incident.events.map { TimelineChart.family($0.type) })
        var legend = ReportRenderer.familyNames.filter { families.contains($0.cls) }
        if incident.events.contains(where: { $0.type == .outageStart }) { legend.append(LegendItem(cls: "outage-swatch", name: "Outage (shaded)")) }
        let frame = Frame(title: incident.title, deck: ([headline.lead].compactMap { $0 } + headline.more).joined(separator: " "), legend: legend,
                          source: sourceLine(incident.events.flatMap(\.sources)))
        let draw = { (width: Double) -> (SVGNode, String) in
            var chart = TimelineChart(incident: incident, partyNames: parties.mapValues(\.name), delays: delays)
            let narrow = width < ChartSettings.narrowBelow
            if narrow { chart.narrowLayoutWidth = width } else { chart.width = width }
            let dense = incident.events.count > TimelineChart.labelledEventLimit
            let body = switch (narrow, dense) {
            case (false, false): chart.render(zone: incident.zone)
            case (true, false): chart.renderNarrow(zone: incident.zone)
            case (false, true): TimelineDensityChart(chart: chart).render(zone: incident.zone)
            case (true, true): TimelineDensityChart(chart: chart).renderNarrow(zone: incident.zone)
            }
            return (body, chart.caption(narrow: narrow))
        }
        // One record per event, in time order: the marks the chart draws.
        let keys = TimelineChart(incident: incident, partyNames: [:], delays: delays).keyEvents
        var csv = Escape.csvRecord(["at", "until", "offset_days_min", "offset_days_max", "type", "label", "party", "milestone", "summary"])
        for e in Timeline(incident).entries {
            Escape.appendCSVRecord([e.event.at.description, e.event.until?.description ?? "", String(e.offset.min), String(e.offset.max),
                                    e.event.type.rawValue, e.event.type.label, e.event.party.map { parties[$0]?.name ?? $0 } ?? "",
                                    keys.contains(e.inputIndex) ? "yes" : "no", e.event.summary ?? ""], numeric: [2, 3], to: &csv)
        }
        return frame.chart(settings: settings, csv: csv, draw: draw)
    }

    // MARK: Company

    /// A company's incidents side by side on one delay scale, a dot per named delay.
    public static func company(_ report: CompanyReport, title: String, settings: ChartSettings) -> StandaloneChart {
        let metrics = ReportBuilder.metrics.filter { m in report.delays.contains { $0.metric == m } }
        var deck = "\(incidentCount(report.incidents.count)) of \(title) on one delay scale."
        if let first = DelayMetric.headlineOrder.lazy.compactMap({ m in report.comparison.first { $0.metric == m.rawValue } }).first {
            deck += " Median \(DelayMetric.label(first.metric).lowercased()): \(Charts.fmt(first.companyMedian)) days over \(incidentCount(first.count)),"
                + " against \(Charts.fmt(first.databaseMedian)) days across the database."
        }
        let frame = Frame(title: title, deck: deck,
                          legend: metrics.enumerated().map { LegendItem(cls: "series-\($0 % 8)", name: DelayMetric.label($1)) },
                          source: "Chart: Lapse, from the incidents recorded in its database.")
        let caption = "One row per incident; each dot is one named delay, its colour the metric (key above); a line through a dot spans a delay known only as a range. Square-root scale of days."
        return frame.chart(settings: settings, csv: delayCSV(report.delays)) { width in
            (Charts.incidentDelays(report.delays, incidents: report.incidents, metrics: metrics, title: "Delays of each incident of \(title)", width: width), caption)
        }
    }

    // MARK: Delays

    /// The longest delays of one metric across a selection, one bar per incident.
    public static func delays(_ ranking: DelayRanking, settings: ChartSettings) -> StandaloneChart {
        let name = ranking.metric.map(DelayMetric.label) ?? "Delays"
        let title = ranking.rows.isEmpty ? "\(name): none measured" : "\(name): the \(ranking.rows.count == 1 ? "longest" : "\(ranking.rows.count) longest")"
        var deck = "Measured for \(groupedNumber(ranking.measured)) of \(incidentCount(ranking.incidents))"
        if let median = ranking.median { deck += "; the median is \(Charts.fmt(median)) days" }
        deck += "."
        let first = ranking.rows.first
        let between = first.map { "from \(EventType.label($0.fromType ?? "")) to \(EventType.label($0.toType ?? ""))".lowercased() } ?? ""
        let frame = Frame(title: title, deck: deck, legend: [], source: "Chart: Lapse, from the incidents recorded in its database.")
        let caption = "Days \(between), longest first; a delay known only as a range is drawn at its midpoint. Each bar is one incident (its id in brackets)."
        let items = ranking.rows.map { (label: "\($0.organization) (\($0.incident))", value: $0.midpoint) }
        // The names' column as wide as the longest name, up to 45 % of the chart.
        let longest = items.map { textWidth($0.label) }.max() ?? 0
        return frame.chart(settings: settings, csv: delayCSV(ranking.rows)) { width in
            (Charts.bars(items, title: title, unit: "d", width: width, labelColumn: min(max(longest + 20, 120), width * 0.45)), caption)
        }
    }

    static func delayCSV(_ rows: [DelayRow]) -> String {
        var out = Escape.csvRecord(DelayRow.columns)
        for row in rows { Escape.appendCSVRecord(row.cells, numeric: DelayRow.numericColumns, to: &out) }
        return out
    }

    /// "Sources: Reuters, Sony, the FTC and 3 more." from the events' sources (publisher, else the site).
    static func sourceLine(_ sources: [Source]) -> String {
        var names: [String] = []
        for s in sources {
            let name = s.publisher ?? URL(string: s.url)?.host ?? s.url
            if !name.isEmpty && !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else { return "Chart: Lapse." }
        let shown = names.prefix(4).joined(separator: ", ") + (names.count > 4 ? " and \(names.count - 4) more" : "")
        return "Sources: \(shown). Chart: Lapse."
    }
}

/// What surrounds a chart when it stands alone: title, the finding in a sentence, a key,
/// then the drawing, its caption and where the data came from. Every line is measured and
/// wrapped to the width, so nothing is cut.
struct Frame {
    let title: String
    let deck: String
    let legend: [LegendItem]
    let source: String

    static let margin = 12.0

    func chart(settings: ChartSettings, csv: String, draw: (Double) -> (SVGNode, String)) -> StandaloneChart {
        let wide = document(width: settings.width, theme: settings.theme, draw: draw)
        var embed = "<figure class=\"lapse-chart\" style=\"margin:0 auto;max-width:\(n(settings.width))px\">"
        if settings.isNarrow {
            embed += "<style>#\(wide.id){display:block;width:100%;height:auto}</style>" + wide.node.markup
        } else {
            // On a screen narrower than the drawing, the narrow layout (drawn for a 360 px
            // phone, shown at most 520 px wide), so text is never scaled below its size.
            let narrow = document(width: TimelineChart.narrowWidth, theme: settings.theme, draw: draw)
            embed += "<style>#\(wide.id){display:block;width:100%;height:auto}#\(narrow.id){display:none;width:100%;max-width:520px;height:auto}"
                + "@media (max-width:\(Int(settings.width) + 39)px){#\(wide.id){display:none}#\(narrow.id){display:block}}</style>"
                + wide.node.markup + narrow.node.markup
        }
        embed += "</figure>\n"
        let size = wide.node.size
        return StandaloneChart(title: title, svg: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + wide.node.markup + "\n",
                               width: Int(size.width.rounded(.up)), height: Int(size.height.rounded(.up)), csv: csv, embed: embed)
    }

    /// The whole drawing at one width: its root element and that element's id.
    func document(width: Double, theme: ChartTheme, draw: (Double) -> (SVGNode, String)) -> (node: SVGNode, id: String) {
        let id = "lapse-chart-" + stableID(title + "|\(n(width))|\(theme.rawValue)")
        let m = Self.margin, room = width - 2 * m
        var nodes: [SVGNode] = []
        var y = m
        func lines(_ text: String, size: Double, bold: Bool = false, lineHeight: Double, cls: String) {
            for line in wrapped(text, width: room, size: size, bold: bold) {
                y += lineHeight
                nodes.append(.label(line, x: m, y: y - lineHeight * 0.28, cls: cls))
            }
        }
        lines(title, size: 16, bold: true, lineHeight: 21, cls: "std-title")
        if !deck.isEmpty { y += 2; lines(deck, size: 13, lineHeight: 18, cls: "std-deck") }
        // The key: a swatch and a name each, wrapping to the width.
        if !legend.isEmpty {
            y += 6
            var x = m, rowTop = y
            for item in legend {
                let w = 14 + textWidth(item.name, size: 11)
                if x > m && x + w > width - m { x = m; rowTop += 18 }
                let swatch: SVGNode = item.cls == "outage-swatch"
                    ? .rect(x: x, y: rowTop + 4, width: 10, height: 10, cls: "swatch-outage", rx: 2)
                    : .circle(cx: x + 5, cy: rowTop + 9, r: 5, cls: item.cls)
                nodes.append(.group("key", [swatch, .label(fitted(item.name, width: room - 14), x: x + 14, y: rowTop + 13, cls: "std-key")]))
                x += w + 14
            }
            y = rowTop + 18
        }
        y += 8
        let (body, caption) = draw(width)
        let bodySize = body.size
        nodes.append(body.setting([("x", "0"), ("y", n(y))]))
        y += bodySize.height + 4
        lines(caption, size: 10, lineHeight: 14, cls: "std-caption")
        y += 2
        lines(source, size: 10, lineHeight: 14, cls: "std-source")
        y += m
        let style = SVGNode("style", [], [.text(ChartStyle.standalone(id: id, theme: theme))])
        let background = SVGNode.rect(x: 0, y: 0, width: width, height: y, cls: "std-bg")
        let root = SVGNode.svg(width: width, height: y, title: title, description: [deck, caption].filter { !$0.isEmpty }.joined(separator: " "),
                               [style, background] + nodes)
        return (root.setting([("id", id)]), id)
    }

    /// Words laid into lines no wider than `width` (a word longer than a line is cut with an ellipsis).
    func wrapped(_ text: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        var out: [String] = [], line = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if textWidth(candidate, size: size, bold: bold) <= width || line.isEmpty {
                line = textWidth(candidate, size: size, bold: bold) <= width ? candidate : fitted(candidate, width: width, size: size, bold: bold)
            } else {
                out.append(line)
                line = textWidth(word, size: size, bold: bold) <= width ? word : fitted(word, width: width, size: size, bold: bold)
            }
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}

/// A short stable id from text (FNV-1a), so the same chart renders to the same bytes.
func stableID(_ text: String) -> String {
    String(text.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 } % 1_000_000_007, radix: 36)
}
