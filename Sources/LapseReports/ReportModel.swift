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

/// A statement with its speaker, channel, audience and sources.
public struct StatementLine: Sendable, Encodable, Hashable {
    public var at: String
    public var type: String
    public var speaker: String?
    public var quote: String
    public var channel: String?
    public var audience: String?
    public var sources: [Source]
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
public struct IncidentReport: Sendable, Encodable {
    public var incident: Incident
    public var organizationName: String
    /// Events in time order with their day offsets.
    public var timeline: [TimelineLine]
    public var delays: [DelayRow]
    public var statements: [StatementLine]
    public var findings: [Finding]
    /// The notification rules that apply, with their verdicts (not legal advice).
    public var deadlines: [DeadlineRow]

    public struct TimelineLine: Sendable, Encodable, Hashable {
        public var at: String
        public var until: String?
        /// Days from the timeline's first event: a range when dates are partial.
        public var offsetDays: DayDelay
        public var type: String
        /// The party's name.
        public var party: String?
        public var summary: String?
        public var sources: [Source]

        /// The offset as a reader wants it: `+3 d`, `+3…33 d`.
        public var offset: String { offsetDays.signed }

        enum CodingKeys: String, CodingKey {
            case at, until, offsetDaysMin = "offset_days_min", offsetDaysMax = "offset_days_max", type, party, summary, sources
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(at, forKey: .at)
            try c.encodeIfPresent(until, forKey: .until)
            try c.encode(offsetDays.min, forKey: .offsetDaysMin)
            try c.encode(offsetDays.max, forKey: .offsetDaysMax)
            try c.encode(type, forKey: .type)
            try c.encodeIfPresent(party, forKey: .party)
            try c.encodeIfPresent(summary, forKey: .summary)
            try c.encode(sources, forKey: .sources)
        }
    }

    enum CodingKeys: String, CodingKey {
        case incident, organizationName = "organization_name", timeline, delays, statements, findings, deadlines
    }
}

/// The report on a company and its subsidiaries.
public struct CompanyReport: Sendable, Encodable {
    public var company: String
    public var organizations: [String]
    public var incidents: [IncidentLine]
    public var delays: [DelayRow]
    /// Per metric: the company's median and the whole database's.
    public var comparison: [Comparison]

    public struct IncidentLine: Sendable, Encodable, Hashable {
        public var id: String
        public var title: String
        public var organization: String
        public var kinds: [String]
        public var firstEvent: String?
        public var recordsAffected: Int?

        enum CodingKeys: String, CodingKey {
            case id, title, organization, kinds, firstEvent = "first_event", recordsAffected = "records_affected"
        }
    }

    public struct Comparison: Sendable, Encodable, Hashable {
        public var metric: String
        public var count: Int
        public var companyMedian: Double
        public var databaseMedian: Double
        public var databaseCount: Int

        enum CodingKeys: String, CodingKey {
            case metric, count, companyMedian = "company_median", databaseMedian = "database_median", databaseCount = "database_count"
        }
    }
}

/// The report on the whole database.
public struct PortfolioReport: Sendable, Encodable {
    public var incidentCount: Int
    public var summaries: [DelaySummary]
    /// The metric the slowest table and the trend rank by (`ReportBuilder.rankingMetric`):
    /// nil when no delay was measured.
    public var rankedBy: String?
    /// The slowest: the longest delays of `rankedBy`, longest first.
    public var slowest: [DelayRow]
    /// Median per year (of the from-event) and metric, every metric measured.
    public var trend: [DelaySummary]
    public var byKind: [Count]
    public var bySector: [Count]

    public struct Count: Sendable, Encodable, Hashable {
        public var name: String
        public var count: Int
    }

    enum CodingKeys: String, CodingKey {
        case incidentCount = "incident_count", summaries, rankedBy = "ranked_by", slowest, trend, byKind = "by_kind", bySector = "by_sector"
    }
}

/// Builds the reports' data from the input: the one place reports compute anything.
public enum ReportBuilder {
    static let metrics = DelayMetric.allCases.map(\.rawValue)

    /// The metric a ranking of incidents uses: the first, in headline order, that has at least
    /// half as many measurements as the best-measured metric (so a list without public
    /// disclosure dates ranks by what it does hold), given each metric's count; nil when none.
    public static func rankingMetric(counts: [String: Int]) -> DelayMetric? {
        let most = counts.values.max() ?? 0
        return DelayMetric.headlineOrder.first { m in
            let count = counts[m.rawValue] ?? 0
            return count > 0 && Double(count) >= Double(most) / 2
        }
    }

    /// The longest delays first (ties by incident id), at most `limit`.
    public static func longest(_ rows: [DelayRow], limit: Int) -> [DelayRow] {
        Array(rows.sorted { ($0.midpoint, $1.incident) > ($1.midpoint, $0.incident) }.prefix(limit))
    }

    public static func incident(_ incident: Incident, input: ReportInput) -> IncidentReport {
        let engine = DelayEngine()
        let organization = input.name(incident.organization) ?? incident.organization
        let delays = engine.delays(for: incident).compactMap(\.delay)
        let timeline = Timeline(incident)
        let lines = timeline.entries.map { e in
            IncidentReport.TimelineLine(at: e.event.at.description, until: e.event.until?.description, offsetDays: e.offset,
                                        type: e.event.type.rawValue, party: input.name(e.event.party), summary: e.event.summary,
                                        sources: e.event.sources)
        }
        let statements = timeline.entries.compactMap { e -> StatementLine? in
            guard let s = e.event.statement, let quote = s.quote else { return nil }
            return StatementLine(at: e.event.at.description, type: e.event.type.rawValue, speaker: input.name(e.event.party), quote: quote,
                                 channel: s.channel, audience: s.audience?.rawValue, sources: e.event.sources)
        }
        return IncidentReport(incident: incident, organizationName: organization, timeline: lines,
                              delays: delays.map { DelayRow($0, incident: incident.id, organization: organization) },
                              statements: statements, findings: input.findings[incident.id] ?? [],
                              deadlines: (input.deadlines[incident.id] ?? []).map { DeadlineRow(incident: incident.id, result: $0) })
    }

    public static func company(_ name: String, input: ReportInput) -> CompanyReport {
        let engine = DelayEngine()
        var delays: [DelayRow] = []
        var incidents: [CompanyReport.IncidentLine] = []
        for incident in input.incidents {
            let organization = input.name(incident.organization) ?? incident.organization
            let timeline = Timeline(incident)
            incidents.append(.init(id: incident.id, title: incident.title, organization: organization, kinds: incident.kinds.map(\.rawValue),
                                   firstEvent: timeline.entries.first?.event.at.description, recordsAffected: incident.recordsAffected))
            delays += engine.delays(for: incident).compactMap(\.delay).map { DelayRow($0, incident: incident.id, organization: organization) }
        }
        let comparison = metrics.compactMap { metric -> CompanyReport.Comparison? in
            let own = delays.filter { $0.metric == metric }.compactMap(\.days)
            guard let mine = DelaySummary(group: name, metric: metric, delays: own),
                  let all = DelaySummary(group: "all", metric: metric, delays: input.databaseDelays[metric] ?? []) else { return nil }
            return .init(metric: metric, count: mine.count, companyMedian: mine.median, databaseMedian: all.median, databaseCount: all.count)
        }
        return CompanyReport(company: name, organizations: Array(Set(incidents.map(\.organization))).sorted(),
                             incidents: incidents, delays: delays, comparison: comparison)
    }

    public static func portfolio(input: ReportInput) -> PortfolioReport {
        var portfolio = Portfolio()
        for incident in input.incidents { portfolio.add(incident, parties: input.parties) }
        return portfolio.report()
    }

    /// The report on the whole database built one incident at a time: it keeps one number per
    /// delay (for the medians and percentiles), the ten slowest delays of each metric and counts,
    /// never the incidents, so it reads any number of them in bounded batches.
    public struct Portfolio {
        static let slowestShown = 10
        let engine = DelayEngine()
        var incidentCount = 0
        /// Delays by year of the from-event, then metric.
        var byYear: [String: [String: SummaryValues]] = [:]
        var slowest: [String: [DelayRow]] = [:]
        var kinds: [String: Int] = [:]
        var sectors: [String: Int] = [:]

        public init() {}

        /// Adds an incident; `parties` names its organization.
        public mutating func add(_ incident: Incident, parties: [String: Party]) {
            incidentCount += 1
            let organization = parties[incident.organization]?.name ?? incident.organization
            for d in engine.delays(for: incident).compactMap(\.delay) {
                byYear[String(d.fromEvent.at.year), default: [:]][d.metric, default: SummaryValues()].add(d.days)
                keepIfSlowest(DelayRow(d, incident: incident.id, organization: organization))
            }
            for kind in incident.kinds { kinds[kind.rawValue, default: 0] += 1 }
            sectors[parties[incident.organization]?.sector ?? "(none)", default: 0] += 1
        }

        /// Longest first; the same delay, the incident first in id order.
        static func slower(_ a: DelayRow, _ b: DelayRow) -> Bool { (a.midpoint, b.incident) > (b.midpoint, a.incident) }

        private mutating func keepIfSlowest(_ row: DelayRow) {
            var kept = slowest[row.metric, default: []]
            let at = kept.firstIndex { Self.slower(row, $0) } ?? kept.count
            guard at < Self.slowestShown else { return }
            kept.insert(row, at: at)
            if kept.count > Self.slowestShown { kept.removeLast() }
            slowest[row.metric] = kept
        }

        public func report() -> PortfolioReport {
            let summaries = metrics.compactMap { m in
                var values = SummaryValues()
                for year in byYear.values { if let v = year[m] { values.add(v) } }
                return DelaySummary(group: "all", metric: m, values: values, unit: nil)
            }
            let trend = byYear.keys.sorted().flatMap { year in
                metrics.compactMap { m in byYear[year]?[m].flatMap { DelaySummary(group: year, metric: m, values: $0, unit: nil) } }
            }
            let rankedBy = ReportBuilder.rankingMetric(counts: Dictionary(summaries.map { ($0.metric, $0.count) }, uniquingKeysWith: +))
            func counts(_ counted: [String: Int]) -> [PortfolioReport.Count] {
                counted.map { .init(name: $0.key, count: $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
            }
            return PortfolioReport(
                incidentCount: incidentCount, summaries: summaries, rankedBy: rankedBy?.rawValue,
                slowest: rankedBy.flatMap { slowest[$0.rawValue] } ?? [], trend: trend,
                byKind: counts(kinds), bySector: counts(sectors))
        }
    }
}
