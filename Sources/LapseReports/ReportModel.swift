import Foundation
import LapseCore

/// What every report is built from: plain model values, never a database handle.
public struct ReportInput: Sendable {
    /// Incidents with their events and sources.
    public var incidents: [Incident]
    public var parties: [String: Party]
    /// Consistency findings by incident id.
    public var findings: [String: [Finding]]
    /// Every measured delay of the whole database by metric, for comparisons.
    public var databaseDelays: [String: [DayDelay]]
    /// Notification-rule verdicts by incident id (the rules that apply).
    public var deadlines: [String: [DeadlineResult]]

    public init(incidents: [Incident], parties: [String: Party], findings: [String: [Finding]], databaseDelays: [String: [DayDelay]],
                deadlines: [String: [DeadlineResult]] = [:]) {
        self.incidents = incidents
        self.parties = parties
        self.findings = findings
        self.databaseDelays = databaseDelays
        self.deadlines = deadlines
    }

    func name(_ party: String?) -> String? { party.map { parties[$0]?.name ?? $0 } }
}

/// One measured or missing delay, flattened for reports (the data contract's delay columns).
public struct DelayLine: Sendable, Codable, Hashable {
    public var incident: String
    public var organization: String
    public var metric: String
    public var fromType: String
    public var from: String
    public var toType: String
    public var to: String
    public var daysMin: Int
    public var daysMax: Int
    public var hours: Double?
    public var flags: [String]
    /// How it reads: `11 d`, `386–416 d`, `4 h 13 min`.
    public var text: String

    init(_ d: Delay, incident: Incident, organization: String) {
        self.incident = incident.id
        self.organization = organization
        metric = d.metric
        fromType = d.fromEvent.type.rawValue
        from = d.fromEvent.at.description
        toType = d.toEvent.type.rawValue
        to = d.toEvent.at.description
        daysMin = d.days.min
        daysMax = d.days.max
        hours = d.seconds.map { (Double($0) / 36).rounded() / 100 }
        flags = d.flags.names
        text = spanText(d)
    }

    var midpoint: Double { Double(daysMin + daysMax) / 2 }

    enum CodingKeys: String, CodingKey {
        case incident, organization, metric, fromType = "from_type", from, toType = "to_type", to
        case daysMin = "days_min", daysMax = "days_max", hours, flags, text
    }
}

/// A statement with its speaker, channel, audience and sources.
public struct StatementLine: Sendable, Codable, Hashable {
    public var at: String
    public var type: String
    public var speaker: String?
    public var quote: String
    public var channel: String?
    public var audience: String?
    public var sources: [Source]
}

/// A notification rule's verdict on an incident, for reports.
public struct DeadlineLine: Sendable, Codable, Hashable {
    public var rule: String
    public var instrument: String
    public var notify: String
    public var status: String
    public var wouldBe: String?
    public var deadline: String?
    public var clockStart: String?
    public var due: String?
    public var satisfiedBy: String?
    /// `late 81.5 h`, `late 3…5 d`, `12 d left`, or empty.
    public var margin: String
    public var source: String
    public var confidence: String

    init(_ r: DeadlineResult) {
        rule = r.rule.id
        instrument = r.rule.instrument
        notify = r.rule.notify
        status = r.status.rawValue
        wouldBe = r.wouldBe?.rawValue
        deadline = r.duration?.description ?? r.standard
        clockStart = r.clockStart.map { "\($0.type.rawValue) \($0.at)" }
        due = r.due?.description
        satisfiedBy = r.satisfiedBy.map { "\($0.type.rawValue) \($0.at)" }
        margin = marginText(r)
        source = r.rule.source.url
        confidence = r.rule.confidence.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case rule, instrument, notify, status, wouldBe = "would_be", deadline, clockStart = "clock_start", due
        case satisfiedBy = "satisfied_by", margin, source, confidence
    }
}

/// How late a notice was or how long is left, as a reader wants it: `late 81.5 h`,
/// `late 3…5 d`, `12 d left`, or empty.
public func marginText(_ r: DeadlineResult) -> String {
    var margin = ""
    if let h = r.lateByHours { margin = "late " + formatDecimal(h) + (r.lateBy?.isExact == false ? "…" + formatDecimal(r.lateByHoursMax ?? h) : "") + " h" }
    if let d = r.lateByDays { margin = "late \(d)" + (r.lateBy?.isExact == false ? "…\(r.lateByDaysMax ?? d)" : "") + " d" }
    if r.status == .open, let h = r.hoursLeft { margin = formatDecimal(h) + " h left" }
    if r.status == .open, let d = r.daysLeft { margin = "\(d) d left" }
    return margin
}

/// The report on one incident.
public struct IncidentReport: Sendable, Codable {
    public var incident: Incident
    public var organizationName: String
    /// Events in time order with their day offsets.
    public var timeline: [TimelineLine]
    public var delays: [DelayLine]
    public var statements: [StatementLine]
    public var findings: [Finding]
    /// The notification rules that apply, with their verdicts (not legal advice).
    public var deadlines: [DeadlineLine]

    public struct TimelineLine: Sendable, Codable, Hashable {
        public var at: String
        public var until: String?
        public var offset: String
        public var type: String
        public var party: String?
        public var summary: String?
        public var sources: [Source]
    }

    enum CodingKeys: String, CodingKey {
        case incident, organizationName = "organization_name", timeline, delays, statements, findings, deadlines
    }
}

/// The report on a company and its subsidiaries.
public struct CompanyReport: Sendable, Codable {
    public var company: String
    public var organizations: [String]
    public var incidents: [IncidentLine]
    public var delays: [DelayLine]
    /// Per metric: the company's median and the whole database's.
    public var comparison: [Comparison]

    public struct IncidentLine: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var organization: String
        public var kinds: [String]
        public var firstEvent: String?
        public var recordsAffected: Int?
    }

    public struct Comparison: Sendable, Codable, Hashable {
        public var metric: String
        public var count: Int
        public var companyMedian: Double
        public var databaseMedian: Double
        public var databaseCount: Int
    }
}

/// The report on the whole database.
public struct PortfolioReport: Sendable, Codable {
    public var incidentCount: Int
    public var summaries: [DelaySummary]
    /// The slowest disclosures: time-in-the-dark, longest first.
    public var slowest: [DelayLine]
    /// Median per year (of the from-event) and metric.
    public var trend: [DelaySummary]
    public var byKind: [Count]
    public var bySector: [Count]

    public struct Count: Sendable, Codable, Hashable {
        public var name: String
        public var count: Int
    }
}

/// Builds the reports' data from the input: the one place reports compute anything.
public enum ReportBuilder {
    static let metrics = DelayMetric.allCases.map(\.rawValue)

    public static func incident(_ incident: Incident, input: ReportInput) -> IncidentReport {
        let engine = DelayEngine()
        let organization = input.name(incident.organization) ?? incident.organization
        let delays = engine.delays(for: incident).compactMap(\.delay)
        let timeline = Timeline(incident)
        let lines = timeline.entries.map { e in
            IncidentReport.TimelineLine(at: e.event.at.description, until: e.event.until?.description, offset: e.offset.signed,
                                        type: e.event.type.rawValue, party: input.name(e.event.party), summary: e.event.summary,
                                        sources: e.event.sources)
        }
        let statements = timeline.entries.compactMap { e -> StatementLine? in
            guard let s = e.event.statement, let quote = s.quote else { return nil }
            return StatementLine(at: e.event.at.description, type: e.event.type.rawValue, speaker: input.name(e.event.party), quote: quote,
                                 channel: s.channel, audience: s.audience?.rawValue, sources: e.event.sources)
        }
        return IncidentReport(incident: incident, organizationName: organization, timeline: lines,
                              delays: delays.map { DelayLine($0, incident: incident, organization: organization) },
                              statements: statements, findings: input.findings[incident.id] ?? [],
                              deadlines: (input.deadlines[incident.id] ?? []).map(DeadlineLine.init))
    }

    public static func company(_ name: String, input: ReportInput) -> CompanyReport {
        let engine = DelayEngine()
        var delays: [DelayLine] = []
        var incidents: [CompanyReport.IncidentLine] = []
        for incident in input.incidents {
            let organization = input.name(incident.organization) ?? incident.organization
            let timeline = Timeline(incident)
            incidents.append(.init(id: incident.id, title: incident.title, organization: organization, kinds: incident.kinds.map(\.rawValue),
                                   firstEvent: timeline.entries.first?.event.at.description, recordsAffected: incident.recordsAffected))
            delays += engine.delays(for: incident).compactMap(\.delay).map { DelayLine($0, incident: incident, organization: organization) }
        }
        let comparison = metrics.compactMap { metric -> CompanyReport.Comparison? in
            let own = delays.filter { $0.metric == metric }.map { DayDelay(min: $0.daysMin, max: $0.daysMax) }
            guard let mine = DelaySummary(group: name, metric: metric, delays: own),
                  let all = DelaySummary(group: "all", metric: metric, delays: input.databaseDelays[metric] ?? []) else { return nil }
            return .init(metric: metric, count: mine.count, companyMedian: mine.median, databaseMedian: all.median, databaseCount: all.count)
        }
        return CompanyReport(company: name, organizations: Array(Set(incidents.map(\.organization))).sorted(),
                             incidents: incidents, delays: delays, comparison: comparison)
    }

    public static func portfolio(input: ReportInput) -> PortfolioReport {
        let engine = DelayEngine()
        var all: [DelayLine] = []
        var byYear: [String: [String: [DayDelay]]] = [:]
        for incident in input.incidents {
            let organization = input.name(incident.organization) ?? incident.organization
            for d in engine.delays(for: incident).compactMap(\.delay) {
                all.append(DelayLine(d, incident: incident, organization: organization))
                byYear[String(d.fromEvent.at.year), default: [:]][d.metric, default: []].append(d.days)
            }
        }
        let summaries = metrics.compactMap { m in
            DelaySummary(group: "all", metric: m, delays: all.filter { $0.metric == m }.map { DayDelay(min: $0.daysMin, max: $0.daysMax) })
        }
        let slowest = all.filter { $0.metric == DelayMetric.timeInTheDark.rawValue }
            .sorted { ($0.midpoint, $1.incident) > ($1.midpoint, $0.incident) }.prefix(10)
        let trend = byYear.keys.sorted().flatMap { year in
            metrics.compactMap { m in byYear[year]?[m].flatMap { DelaySummary(group: year, metric: m, delays: $0) } }
        }
        func counts(_ keys: [String]) -> [PortfolioReport.Count] {
            Dictionary(keys.map { ($0, 1) }, uniquingKeysWith: +).map { .init(name: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        }
        return PortfolioReport(
            incidentCount: input.incidents.count, summaries: summaries, slowest: Array(slowest), trend: trend,
            byKind: counts(input.incidents.flatMap { $0.kinds.map(\.rawValue) }),
            bySector: counts(input.incidents.map { input.parties[$0.organization]?.sector ?? "(none)" }))
    }
}
