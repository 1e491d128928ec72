import Foundation
import LapseCore

// View models for the HTML templates: plain strings and lists, escaped by `Escape.html` when
// rendered; charts are `HTMLMarkup`, the only values the templates insert raw.

struct LinkView: Sendable {
    let text: String
    /// Set only for http(s) URLs; other URLs are shown as text, never linked.
    let href: String?
    let plain: String?

    init(text: String, url: String) {
        self.text = text
        href = safeLink(url)
        plain = href == nil ? url : nil
    }
}

/// A chart in its two layouts: the page shows the wide one on wide screens and the narrow one
/// on phones (CSS only), each drawn at a size where its text is at least 10 px.
struct ChartView: Sendable {
    let wide: HTMLMarkup
    let narrow: HTMLMarkup
    let caption: String
    let narrowCaption: String
    let hasCaption: Bool

    init(wide: SVGNode, narrow: SVGNode, caption: String = "", narrowCaption: String? = nil) {
        self.wide = HTMLMarkup(wide)
        self.narrow = HTMLMarkup(narrow)
        self.caption = caption
        self.narrowCaption = narrowCaption ?? caption
        hasCaption = !caption.isEmpty
    }
}

/// A colour key entry: the CSS class that gives the swatch its colour, and what it stands for.
struct LegendItem: Sendable { let cls: String; let name: String }

/// How a deadline verdict reads without colour: a symbol and a word.
func statusText(_ status: String) -> String {
    switch status {
    case "met": "✓ met"
    case "missed": "✗ missed"
    case "unknown": "? unknown"
    case "open": "◷ open"
    case "uncertain": "? uncertain"
    case "not_started": "– not started"
    case "no_fixed_deadline": "~ no fixed deadline"
    case "not_in_force": "– not in force"
    case "not_applicable": "– not applicable"
    default: status
    }
}

struct IncidentView: Sendable {
    struct Fact: Sendable { let name: String; let value: String }
    struct EventView: Sendable {
        // Plain strings, never nil: Mustache would look a missing value up in the enclosing context.
        let at: String, until: String, hasUntil: Bool, offset: String, type: String, party: String, summary: String, sources: [LinkView]
    }
    struct StatementView: Sendable {
        let quote: String, attribution: String, sources: [LinkView]
    }
    struct DelayView: Sendable {
        let metric: String, id: String, from: String, to: String, text: String, flags: String
    }
    struct FindingView: Sendable { let severity: String, code: String, message: String }

    let title: String
    let id: String
    let summary: String?
    let headline: String
    let hasHeadline: Bool
    let headlineMore: [String]
    let hasMore: Bool
    let facts: [Fact]
    let chart: ChartView
    let legend: [LegendItem]
    let delays: [DelayView]
    let hasDelays: Bool
    let events: [EventView]
    let statements: [StatementView]
    let hasStatements: Bool
    let findings: [FindingView]
    let hasFindings: Bool
    let deadlines: [DeadlineView]
    let hasDeadlines: Bool
    struct DeadlineView: Sendable {
        let law: LinkView, notify: String, status: String, statusClass: String, deadline: String, clockStart: String, due: String,
            satisfiedBy: String, margin: String
    }

    init(_ r: IncidentReport, headline: IncidentHeadline, chart: ChartView, legend: [LegendItem]) {
        title = r.incident.title
        id = r.incident.id
        summary = r.incident.summary
        self.headline = headline.lead ?? ""
        hasHeadline = headline.lead != nil
        headlineMore = headline.more
        hasMore = !headline.more.isEmpty
        var facts = [Fact(name: "Organization", value: r.organizationName), Fact(name: "Kinds", value: r.incident.kinds.map(\.rawValue).joined(separator: ", "))]
        if let records = r.incident.recordsAffected { facts.append(Fact(name: "Records affected", value: groupedNumber(records))) }
        if !r.incident.jurisdictions.isEmpty { facts.append(Fact(name: "Jurisdictions", value: r.incident.jurisdictions.joined(separator: ", "))) }
        facts.append(Fact(name: "Time zone", value: r.incident.timezone ?? "UTC"))
        if !r.incident.tags.isEmpty { facts.append(Fact(name: "Tags", value: r.incident.tags.joined(separator: ", "))) }
        self.facts = facts
        self.chart = chart
        self.legend = legend
        delays = r.delays.map {
            DelayView(metric: DelayMetric.label($0.metric), id: $0.metric, from: "\(EventType.label($0.fromType ?? "")) \($0.from ?? "")",
                      to: "\(EventType.label($0.toType ?? "")) \($0.to ?? "")", text: $0.span, flags: $0.flags.joined(separator: ", "))
        }
        hasDelays = !delays.isEmpty
        events = r.timeline.map { e in
            EventView(at: e.at, until: e.until ?? "", hasUntil: e.until != nil, offset: e.offset, type: EventType.label(e.type), party: e.party ?? "", summary: e.summary ?? "",
                      sources: e.sources.enumerated().map { LinkView(text: $1.publisher ?? $1.title ?? "source \($0 + 1)", url: $1.url) })
        }
        statements = r.statements.map { s in
            StatementView(quote: s.quote,
                          attribution: ([s.speaker, s.channel, s.audience.map { "to \($0)" }].compactMap { $0 } + [s.at]).joined(separator: ", "),
                          sources: s.sources.enumerated().map { LinkView(text: $1.title ?? $1.publisher ?? "source \($0 + 1)", url: $1.url) })
        }
        hasStatements = !statements.isEmpty
        findings = r.findings.map { FindingView(severity: $0.severity.rawValue, code: $0.code, message: $0.message) }
        hasFindings = !findings.isEmpty
        deadlines = r.deadlines.map {
            DeadlineView(law: LinkView(text: $0.instrument, url: $0.source), notify: $0.notify,
                         status: $0.statusText,
                         statusClass: "status-" + $0.status.replacingOccurrences(of: "_", with: "-"),
                         deadline: $0.deadlineText, clockStart: $0.clockStartText, due: $0.dueText, satisfiedBy: $0.satisfiedByText, margin: $0.margin)
        }
        hasDeadlines = !deadlines.isEmpty
    }
}

/// A table for the shared partial. Each cell knows its column's name, so on a phone a row
/// reflows into a card of "name: value" lines, and its class (`delay` is shown first and bold,
/// `date` never breaks).
struct TableView: Sendable {
    struct Cell: Sendable { let label: String; let text: String; let cls: String }
    struct Row: Sendable { let cells: [Cell] }
    let header: [String]
    let rows: [Row]
    let isEmpty: Bool

    init(_ header: [String], _ rows: [[String]], classes: [Int: String] = [:]) {
        self.header = header
        self.rows = rows.map { Row(cells: $0.enumerated().map { Cell(label: header.indices.contains($0) ? header[$0] : "", text: $1, cls: classes[$0] ?? "") }) }
        isEmpty = rows.isEmpty
    }
}

struct CompanyView: Sendable {
    let company: String
    let organizations: String
    let incidentCount: String
    let incidents: TableView
    let delays: TableView
    let comparison: TableView
    let chart: ChartView
    var legend: [LegendItem] = []

    init(_ r: CompanyReport, title: String, sideBySide: [[String]], metrics: [String], chart: ChartView) {
        company = title
        organizations = r.organizations.joined(separator: ", ")
        incidentCount = LapseReports.incidentCount(r.incidents.count)
        incidents = TableView(["incident", "organization", "title", "kinds", "first event", "records"], r.incidents.map {
            [$0.id, $0.organization, $0.title, $0.kinds.joined(separator: ", "), $0.firstEvent ?? "", $0.recordsAffected.map(groupedNumber) ?? ""]
        }, classes: [0: "id", 4: "date", 5: "num"])
        delays = TableView(["incident"] + metrics.map(DelayMetric.label), sideBySide,
                           classes: Dictionary(uniqueKeysWithValues: metrics.indices.map { ($0 + 1, "delay") }).merging([0: "lead"]) { a, _ in a })
        comparison = TableView(["metric", "company median", "database median", "incidents"], r.comparison.map {
            [DelayMetric.label($0.metric), "\(Charts.fmt($0.companyMedian)) d", "\(Charts.fmt($0.databaseMedian)) d", "\($0.count) of \($0.databaseCount)"]
        }, classes: [0: "lead", 1: "delay", 2: "delay"])
        self.chart = chart
    }
}

struct PortfolioView: Sendable {
    let incidentCount: String
    let summaries: TableView
    let slowest: TableView
    let slowestMetric: String
    let hasSlowest: Bool
    let boxes: ChartView
    let trendChart: ChartView
    let trendMetric: String
    let hasTrend: Bool
    let kindChart: ChartView
    let sectorChart: ChartView
    let deadlines: TableView
    let hasDeadlines: Bool
}
