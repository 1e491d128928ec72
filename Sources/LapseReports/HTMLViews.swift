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

struct IncidentView: Sendable {
    struct Fact: Sendable { let name: String; let value: String }
    struct Row: Sendable { let cells: [Cell] }
    struct Cell: Sendable { let text: String; let numeric: Bool }
    struct EventView: Sendable {
        // Plain strings, never nil: Mustache would look a missing value up in the enclosing context.
        let at: String, offset: String, type: String, party: String, summary: String, sources: [LinkView]
    }
    struct StatementView: Sendable {
        let quote: String, attribution: String, sources: [LinkView]
    }
    struct DelayView: Sendable {
        let metric: String, from: String, to: String, text: String, flags: String
    }
    struct FindingView: Sendable { let severity: String, code: String, message: String }

    let title: String
    let id: String
    let summary: String?
    let facts: [Fact]
    let chart: HTMLMarkup
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
        let rule: LinkView, status: String, deadline: String, clockStart: String, due: String, satisfiedBy: String, margin: String
    }

    init(_ r: IncidentReport, chart: HTMLMarkup) {
        title = r.incident.title
        id = r.incident.id
        summary = r.incident.summary
        var facts = [Fact(name: "Organization", value: r.organizationName), Fact(name: "Kinds", value: r.incident.kinds.map(\.rawValue).joined(separator: ", "))]
        if let records = r.incident.recordsAffected { facts.append(Fact(name: "Records affected", value: groupedNumber(records))) }
        if !r.incident.jurisdictions.isEmpty { facts.append(Fact(name: "Jurisdictions", value: r.incident.jurisdictions.joined(separator: ", "))) }
        facts.append(Fact(name: "Time zone", value: r.incident.timezone ?? "UTC"))
        if !r.incident.tags.isEmpty { facts.append(Fact(name: "Tags", value: r.incident.tags.joined(separator: ", "))) }
        self.facts = facts
        self.chart = chart
        delays = r.delays.map { DelayView(metric: $0.metric, from: "\($0.fromType ?? "") \($0.from ?? "")", to: "\($0.toType ?? "") \($0.to ?? "")", text: $0.span, flags: $0.flags.joined(separator: ", ")) }
        hasDelays = !delays.isEmpty
        events = r.timeline.map { e in
            EventView(at: e.at + (e.until.map { " → \($0)" } ?? ""), offset: e.offset, type: e.type, party: e.party ?? "", summary: e.summary ?? "",
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
            DeadlineView(rule: LinkView(text: $0.rule, url: $0.source), status: $0.verdictText, deadline: $0.deadlineText,
                         clockStart: $0.clockStartText, due: $0.dueText, satisfiedBy: $0.satisfiedByText, margin: $0.margin)
        }
        hasDeadlines = !deadlines.isEmpty
    }
}

struct TableView: Sendable {
    struct Row: Sendable { let cells: [String] }
    let header: [String]
    let rows: [Row]
    init(_ header: [String], _ rows: [[String]]) {
        self.header = header
        self.rows = rows.map { Row(cells: $0) }
    }
}

struct CompanyView: Sendable {
    let company: String
    let organizations: String
    let incidentCount: String
    let incidents: TableView
    let delays: TableView
    let comparison: TableView
    let chart: HTMLMarkup

    init(_ r: CompanyReport, sideBySide: [[String]], chart: HTMLMarkup) {
        company = r.company
        organizations = r.organizations.joined(separator: ", ")
        incidentCount = LapseReports.incidentCount(r.incidents.count)
        incidents = TableView(["incident", "organization", "title", "kinds", "first event", "records"], r.incidents.map {
            [$0.id, $0.organization, $0.title, $0.kinds.joined(separator: ", "), $0.firstEvent ?? "", $0.recordsAffected.map(groupedNumber) ?? ""]
        })
        delays = TableView(["incident"] + ReportBuilder.metrics, sideBySide)
        comparison = TableView(["metric", "company median", "database median", "incidents"], r.comparison.map {
            [$0.metric, "\(Charts.fmt($0.companyMedian)) d", "\(Charts.fmt($0.databaseMedian)) d", "\($0.count) of \($0.databaseCount)"]
        })
        self.chart = chart
    }
}

struct PortfolioView: Sendable {
    let incidentCount: String
    let summaries: TableView
    let slowest: TableView
    let boxes: HTMLMarkup
    let trendChart: HTMLMarkup
    let kindChart: HTMLMarkup
    let sectorChart: HTMLMarkup

    init(_ r: PortfolioReport, summaryRows: [[String]], boxes: HTMLMarkup, trendChart: HTMLMarkup, kindChart: HTMLMarkup, sectorChart: HTMLMarkup) {
        incidentCount = LapseReports.incidentCount(r.incidentCount)
        summaries = TableView(["metric", "count", "median", "p25", "p75", "p90", "min", "max", "ranges"], summaryRows)
        slowest = TableView(["#", "incident", "organization", "from", "to", "time in the dark"], r.slowest.enumerated().map {
            ["\($0 + 1)", $1.incident, $1.organization, "\($1.fromType ?? "") \($1.from ?? "")", "\($1.toType ?? "") \($1.to ?? "")", $1.span]
        })
        self.boxes = boxes
        self.trendChart = trendChart
        self.kindChart = kindChart
        self.sectorChart = sectorChart
    }
}
