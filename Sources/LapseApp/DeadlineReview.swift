import Foundation
import LapseCore
import LapseReports

/// Checks an incident against the notification rules, judging open clocks as of an injected
/// "now" (a front end passes its clock, or the time the user asked for).
public struct DeadlineReview: Sendable {
    let store: any MeasuringStore
    let book: RuleBook
    /// Seconds since 1970 UTC.
    let now: Int
    /// Count a clock with no satisfying event as missed up to `now` instead of unknown.
    let countAbsentToNow: Bool

    public init(store: any MeasuringStore, now: Int, book: RuleBook = .bundled, countAbsentToNow: Bool = false) {
        self.store = store
        self.now = now
        self.book = book
        self.countAbsentToNow = countAbsentToNow
    }

    /// The verdicts on one incident: of the named rules (in scope or not) when `rules` is not
    /// empty, else of every rule in the book, those that do not apply only `includeNotApplicable`.
    /// `RuleBookError` for an unknown rule, `StoreLookupError` for an unknown incident.
    public func review(incident id: String, rules: [String] = [], includeNotApplicable: Bool = false) throws -> DeadlineVerdicts {
        let named = try book.rules(ids: rules)
        guard let incident = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
        let results = verdicts(on: incident, parties: try store.partiesByID(), rules: named.isEmpty ? nil : named)
            .filter { includeNotApplicable || !rules.isEmpty || $0.status != .notApplicable }
        return DeadlineVerdicts(incident: incident, rows: results.map { DeadlineRow(incident: incident.id, result: $0) })
    }

    /// The verdicts on every selected incident (one row per incident and rule, the rules chosen
    /// as `review(incident:)` does), and a summary per rule over the selection.
    public func review(_ selection: IncidentSelection, rules: [String] = [], includeNotApplicable: Bool = false) throws -> PortfolioDeadlines {
        var rows: [DeadlineRow] = []
        let (incidents, summary) = try review(selection, rules: rules, includeNotApplicable: includeNotApplicable) { rows.append($0) }
        return PortfolioDeadlines(incidents: incidents, rows: rows, summary: summary)
    }

    /// As `review(_:rules:includeNotApplicable:)`, handing the rows over one by one in incident
    /// order as the incidents are read, so none is kept: returns how many incidents were
    /// reviewed and the summary per rule.
    public func review(_ selection: IncidentSelection, rules: [String] = [], includeNotApplicable: Bool = false,
                       row: (DeadlineRow) throws -> Void) throws -> (incidents: Int, summary: [RuleTally]) {
        let named = try book.rules(ids: rules)
        var counts: [String: [DeadlineStatus: Int]] = [:]
        let incidents = try selection.forEachIncident(in: store) { incident, parties in
            let results = verdicts(on: incident, parties: parties, rules: named.isEmpty ? nil : named)
            for result in results {
                counts[result.rule.id, default: [:]][result.status, default: 0] += 1
                if includeNotApplicable || !rules.isEmpty || result.status != .notApplicable {
                    try row(DeadlineRow(incident: incident.id, result: result))
                }
            }
        }
        let order = named.isEmpty ? book.rules.map(\.id) : named.map(\.id)
        let summary = order.compactMap { id -> RuleTally? in
            guard let c = counts[id], named.isEmpty ? c.keys.contains(where: { $0 != .notApplicable }) || includeNotApplicable : true else { return nil }
            return RuleTally(rule: id, counts: c)
        }
        return (incidents, summary)
    }

    /// The verdicts of the rules that apply to an incident, as reports show them.
    func applicable(to incident: Incident, parties: [String: Party]) -> [DeadlineResult] {
        Self.applicable(to: incident, parties: parties, now: now, book: book, countAbsentToNow: countAbsentToNow)
    }

    /// The verdicts of the rules that apply to an incident (as reports and the calendar export
    /// show them), judged as `lapse deadlines` judges them.
    static func applicable(to incident: Incident, parties: [String: Party], now: Int, book: RuleBook = .bundled,
                           countAbsentToNow: Bool = false) -> [DeadlineResult] {
        verdicts(on: incident, parties: parties, rules: nil, now: now, book: book, countAbsentToNow: countAbsentToNow)
            .filter { $0.status != .notApplicable }
    }

    private func verdicts(on incident: Incident, parties: [String: Party], rules: [NotificationRule]?) -> [DeadlineResult] {
        Self.verdicts(on: incident, parties: parties, rules: rules, now: now, book: book, countAbsentToNow: countAbsentToNow)
    }

    /// The one evaluation every front end shares: the incident's organization and the recipients
    /// of its notices (a notice to another jurisdiction's regulator satisfies no rule) come from
    /// `parties`, which must hold the parties the incident names (its organization and the
    /// parties of its events).
    static func verdicts(on incident: Incident, parties: [String: Party], rules: [NotificationRule]?, now: Int, book: RuleBook,
                         countAbsentToNow: Bool) -> [DeadlineResult] {
        DeadlineEvaluator.evaluate(incident: incident, organization: parties[incident.organization], rules: rules, now: now, book: book,
                                   countAbsentToNow: countAbsentToNow, recipients: parties)
    }
}

/// The verdicts on one incident.
public struct DeadlineVerdicts: Sendable {
    public var incident: Incident
    public var rows: [DeadlineRow]
}

/// The verdicts on a selection of incidents, with a tally per rule.
public struct PortfolioDeadlines: Sendable {
    /// How many incidents were reviewed.
    public var incidents: Int
    /// One row per incident and rule.
    public var rows: [DeadlineRow]
    /// Per rule that reaches at least one incident (or was named), in the rule book's order.
    public var summary: [RuleTally]
}

/// How one rule fared over a selection: counts per status, as `lapse deadlines` ends with.
public struct RuleTally: Sendable, Hashable, Encodable {
    public var rule: String
    public var counts: [DeadlineStatus: Int]

    /// How many incidents the rule was checked on.
    public var total: Int { counts.values.reduce(0, +) }
    public var met: Int { counts[.met] ?? 0 }
    public var missed: Int { counts[.missed] ?? 0 }
    public var unknown: Int { counts[.unknown] ?? 0 }
    public var notApplicable: Int { counts[.notApplicable] ?? 0 }
    /// Every other verdict: open, not in force, no fixed deadline, uncertain, not started.
    public var other: Int { total - met - missed - unknown - notApplicable }

    /// A count as a share of the total, in per cent (0.1).
    public func percent(_ n: Int) -> Double { total == 0 ? 0 : (Double(n) * 1000 / Double(total)).rounded() / 10 }

    enum CodingKeys: String, CodingKey { case rule, total, met, missed, unknown, notApplicable = "not_applicable", other }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(total, forKey: .total)
        try c.encode(met, forKey: .met)
        try c.encode(missed, forKey: .missed)
        try c.encode(unknown, forKey: .unknown)
        try c.encode(notApplicable, forKey: .notApplicable)
        try c.encode(other, forKey: .other)
    }
}
