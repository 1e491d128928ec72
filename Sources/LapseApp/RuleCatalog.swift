import Foundation
import LapseCore

/// The notification rules Lapse checks, with their sources.
public struct RuleCatalog: Sendable {
    let book: RuleBook

    public init(book: RuleBook = .bundled) { self.book = book }

    /// Every rule, or the rules reaching a jurisdiction (`US` lists the federal rules and the
    /// states'; `US-CA` California's and the federal ones).
    public func rules(inJurisdiction jurisdiction: String? = nil) -> [RuleRow] {
        let rules = jurisdiction.map(book.rules(inJurisdiction:)) ?? book.rules
        return rules.map { RuleRow($0, family: book.families[$0.id] ?? "") }
    }
}

/// One notification rule as machine-readable outputs give it: the `rules` resource.
public struct RuleRow: Sendable, Hashable, Encodable {
    public var id: String
    public var family: String
    public var instrument: String
    public var title: String
    public var jurisdictions: [String]
    public var notify: String
    public var clockStart: String
    public var satisfiedBy: [String]
    public var deadline: String?
    public var standard: String?
    public var scope: String
    public var effectiveFrom: String?
    public var effectiveTo: String?
    public var confidence: String
    public var citation: String
    public var source: String
    public var notes: String?

    public init(_ rule: NotificationRule, family: String) {
        id = rule.id
        self.family = family
        instrument = rule.instrument
        title = rule.title
        jurisdictions = rule.jurisdictions
        notify = rule.notify
        clockStart = rule.start.description
        satisfiedBy = rule.satisfiedBy.map(\.rawValue)
        deadline = rule.duration.map { d in
            ([d.description] + rule.alsoDue.map { "\($0.duration) from \($0.start)" }).joined(separator: ", or ")
        }
        standard = rule.standard
        scope = rule.scope.summary
        effectiveFrom = rule.effectiveFrom
        effectiveTo = rule.effectiveTo
        confidence = rule.confidence.rawValue
        citation = rule.source.citation
        source = rule.source.url
        notes = rule.notes
    }

    enum CodingKeys: String, CodingKey {
        case id, family, instrument, title, jurisdictions, notify, clockStart = "clock_start", satisfiedBy = "satisfied_by"
        case deadline, standard, scope, effectiveFrom = "effective_from", effectiveTo = "effective_to", confidence, citation, source, notes
    }

    /// When the rule was in force, in words: `from 2018-05-25`, `not in force`.
    public var inForce: String {
        guard let effectiveFrom else { return "not in force" }
        return effectiveTo.map { "\(effectiveFrom) to \($0)" } ?? "from \(effectiveFrom)"
    }
}
