import Foundation
import LapseCore
import LapseReports

/// Checks an incident against the notification rules, judging open clocks as of an injected
/// "now" (a front end passes its clock, or the time the user asked for).
public struct DeadlineReview: Sendable {
    let store: any IncidentReading
    let book: RuleBook
    /// Seconds since 1970 UTC.
    let now: Int

    public init(store: any IncidentReading, now: Int, book: RuleBook = .bundled) {
        self.store = store
        self.now = now
        self.book = book
    }

    /// The verdicts on one incident: of the named rules (in scope or not) when `rules` is not
    /// empty, else of every rule in the book, those that do not apply only `includeNotApplicable`.
    /// `RuleBookError` for an unknown rule, `StoreLookupError` for an unknown incident.
    public func review(incident id: String, rules: [String] = [], includeNotApplicable: Bool = false) throws -> DeadlineVerdicts {
        let named = try book.rules(ids: rules)
        guard let incident = try store.incident(withID: id) else { throw StoreLookupError.noIncident(id) }
        let organization = try store.party(withID: incident.organization)
        let results = DeadlineEvaluator.evaluate(incident: incident, organization: organization,
                                                 rules: named.isEmpty ? nil : named, now: now, book: book)
            .filter { includeNotApplicable || !rules.isEmpty || $0.status != .notApplicable }
        return DeadlineVerdicts(incident: incident, rows: results.map { DeadlineRow(incident: incident.id, result: $0) })
    }

    /// The verdicts of the rules that apply to an incident, as reports show them.
    func applicable(to incident: Incident, organization: Party?) -> [DeadlineResult] {
        DeadlineEvaluator.evaluate(incident: incident, organization: organization, now: now, book: book)
            .filter { $0.status != .notApplicable }
    }
}

/// The verdicts on one incident.
public struct DeadlineVerdicts: Sendable {
    public var incident: Incident
    public var rows: [DeadlineRow]
}
