import Foundation

/// One notification obligation of one law, as data: who must be told, what starts the clock,
/// what satisfies it, how long there is, to whom it applies, and where the reading comes from.
public struct NotificationRule: Codable, Sendable, Hashable, Identifiable {
    /// Stable id such as `eu-gdpr-33`.
    public var id: String
    /// The article or section, e.g. "GDPR Art 33(1)".
    public var instrument: String
    /// One line saying what must be done.
    public var title: String
    /// Jurisdiction codes the rule belongs to (`EU`, `UK`, `US`, `US-CA`, ...).
    public var jurisdictions: [String]
    /// Who is notified ("supervisory authority", "individuals").
    public var notify: String
    /// What starts the clock.
    public var start: ClockStart
    /// Event types whose earliest occurrence satisfies the obligation.
    public var satisfiedBy: [EventType]
    /// The earlier stage of a staged regime: a satisfying event must come after that stage's submission.
    public var follows: String?
    /// The time allowed; nil for a standard without a number ("without undue delay").
    public var duration: RuleDuration?
    /// Further clocks whose earliest due instant wins (DORA's 4 h after classification or 24 h after awareness).
    public var alsoDue: [RuleClock]
    /// The words of the law when it sets no number, or the standard beside the number.
    public var standard: String?
    /// To whom the rule applies.
    public var scope: RuleScope
    /// First day in force (`YYYY-MM-DD`); nil when the rule is not in force at all (a proposed rule).
    public var effectiveFrom: String?
    /// Last day in force, when repealed or replaced.
    public var effectiveTo: String?
    /// Earlier versions of the rule, for clocks that started before `effectiveFrom`.
    public var earlier: [RuleVersion]
    /// Where the reading comes from.
    public var source: RuleSource
    /// How well the reading is confirmed.
    public var confidence: Confidence
    /// Caveats of the reading.
    public var notes: String?

    public init(id: String, instrument: String, title: String, jurisdictions: [String], notify: String,
                start: ClockStart, satisfiedBy: [EventType], follows: String? = nil, duration: RuleDuration?,
                alsoDue: [RuleClock] = [], standard: String? = nil, scope: RuleScope = RuleScope(),
                effectiveFrom: String?, effectiveTo: String? = nil, earlier: [RuleVersion] = [],
                source: RuleSource, confidence: Confidence, notes: String? = nil) {
        self.id = id
        self.instrument = instrument
        self.title = title
        self.jurisdictions = jurisdictions
        self.notify = notify
        self.start = start
        self.satisfiedBy = satisfiedBy
        self.follows = follows
        self.duration = duration
        self.alsoDue = alsoDue
        self.standard = standard
        self.scope = scope
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.earlier = earlier
        self.source = source
        self.confidence = confidence
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case id, instrument, title, jurisdictions, notify, start, satisfiedBy, follows, duration, alsoDue, standard
        case scope, effectiveFrom, effectiveTo, earlier, source, confidence, notes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        instrument = try c.decode(String.self, forKey: .instrument)
        title = try c.decode(String.self, forKey: .title)
        jurisdictions = try c.decode([String].self, forKey: .jurisdictions)
        notify = try c.decode(String.self, forKey: .notify)
        start = try c.decode(ClockStart.self, forKey: .start)
        satisfiedBy = try c.decode([EventType].self, forKey: .satisfiedBy)
        follows = try c.decodeIfPresent(String.self, forKey: .follows)
        duration = try c.decodeIfPresent(RuleDuration.self, forKey: .duration)
        alsoDue = try c.decodeIfPresent([RuleClock].self, forKey: .alsoDue) ?? []
        standard = try c.decodeIfPresent(String.self, forKey: .standard)
        scope = try c.decodeIfPresent(RuleScope.self, forKey: .scope) ?? RuleScope()
        effectiveFrom = try c.decodeIfPresent(String.self, forKey: .effectiveFrom)
        effectiveTo = try c.decodeIfPresent(String.self, forKey: .effectiveTo)
        earlier = try c.decodeIfPresent([RuleVersion].self, forKey: .earlier) ?? []
        source = try c.decode(RuleSource.self, forKey: .source)
        confidence = try c.decode(Confidence.self, forKey: .confidence)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        if duration == nil && standard == nil {
            throw DecodingError.dataCorruptedError(forKey: .duration, in: c,
                debugDescription: "rule \(id) needs a \"duration\" or, for a law without a number, a \"standard\"")
        }
        for day in [effectiveFrom, effectiveTo].compactMap({ $0 }) where Self.day(day) == nil {
            throw DecodingError.dataCorruptedError(forKey: .effectiveFrom, in: c,
                debugDescription: "rule \(id): \"\(day)\" is not a date; expected YYYY-MM-DD")
        }
    }

    /// The first day in force, as days since 1970-01-01.
    public var effectiveFromDay: Int? { effectiveFrom.flatMap(Self.day) }
    /// The last day in force, as days since 1970-01-01.
    public var effectiveToDay: Int? { effectiveTo.flatMap(Self.day) }

    /// Days since 1970 of a `YYYY-MM-DD` text, or nil.
    static func day(_ text: String) -> Int? {
        guard let t = EventTime(text), t.precision == .day, let m = t.month, let d = t.day, t.qualifier == nil else { return nil }
        return CivilDate.daysFromCivil(year: t.year, month: m, day: d)
    }
}

/// What starts a rule's clock.
public enum ClockStart: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The earliest event of any of the types (awareness is `detection`, materiality `determination`).
    case earliestOf([EventType])
    /// The submission that satisfied an earlier stage (DORA's intermediate report runs from the initial one).
    case submissionOf(String)

    enum CodingKeys: String, CodingKey { case earliestOf, submissionOf }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let types = try c.decodeIfPresent([EventType].self, forKey: .earliestOf) {
            self = .earliestOf(types)
        } else if let rule = try c.decodeIfPresent(String.self, forKey: .submissionOf) {
            self = .submissionOf(rule)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "expected {\"earliestOf\": [event types]} or {\"submissionOf\": \"rule id\"}"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .earliestOf(let types): try c.encode(types, forKey: .earliestOf)
        case .submissionOf(let rule): try c.encode(rule, forKey: .submissionOf)
        }
    }

    public var description: String {
        switch self {
        case .earliestOf(let types): types.map(\.rawValue).joined(separator: " or ")
        case .submissionOf(let rule): "submission for \(rule)"
        }
    }
}

/// A further clock of a rule: its own start and its own duration.
public struct RuleClock: Codable, Sendable, Hashable {
    public var start: ClockStart
    public var duration: RuleDuration

    public init(start: ClockStart, duration: RuleDuration) {
        self.start = start
        self.duration = duration
    }
}

/// An earlier version of a rule: its dates and its deadline or standard.
public struct RuleVersion: Codable, Sendable, Hashable {
    public var effectiveFrom: String
    public var effectiveTo: String
    public var duration: RuleDuration?
    public var standard: String?

    public init(effectiveFrom: String, effectiveTo: String, duration: RuleDuration? = nil, standard: String? = nil) {
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.duration = duration
        self.standard = standard
    }

    /// True when the version was in force on the day (days since 1970).
    func covers(_ day: Int) -> Bool {
        guard let from = NotificationRule.day(effectiveFrom), let to = NotificationRule.day(effectiveTo) else { return false }
        return (from...to).contains(day)
    }
}

/// Where a rule's reading comes from.
public struct RuleSource: Codable, Sendable, Hashable {
    /// The legal citation.
    public var citation: String
    public var url: String

    public init(citation: String, url: String) {
        self.citation = citation
        self.url = url
    }
}

/// How well a reading is confirmed (regulations.md): P primary text, S secondary, S2 two or
/// more secondary sources agree, U unconfirmed; mixed grades where parts differ.
public enum Confidence: String, Vocabulary {
    case primary = "P", primaryAndSecondary = "P/S", primaryAndSecondaries = "P/S2", secondaryAndPrimary = "S/P"
    case secondary = "S", secondaries = "S2", unconfirmed = "U"
    public static let vocabularyName = "confidence"
}
