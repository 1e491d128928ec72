import Foundation

/// Checks incidents against notification rules: pure, no database; `now` is given so that
/// open clocks are reproducible.
public struct DeadlineEvaluator: Sendable {
    public let book: RuleBook
    /// The present, in seconds since 1970 UTC: open clocks count their time left from it.
    public let now: Int
    /// When true, a clock past its due time with no satisfying event is `missed`, lateness
    /// counted to `now`; by default it is `unknown` (the data does not say notice was never given).
    /// Either way, on an incident marked `closed` such a clock is `missed`, late up to the close.
    public let countAbsentToNow: Bool
    /// Parties by id, to see who received a notice: a regulator notification whose party is a
    /// regulator or agency with a country outside the rule's jurisdictions (HHS for a state
    /// attorney-general rule) does not satisfy the rule. Without the party, any notice counts.
    public let recipients: [String: Party]

    public init(book: RuleBook = .bundled, now: Int, countAbsentToNow: Bool = false, recipients: [String: Party] = [:]) {
        self.book = book
        self.now = now
        self.countAbsentToNow = countAbsentToNow
        self.recipients = recipients
    }

    /// Checks an incident: with `rules` nil, every rule of the book whose jurisdiction and scope
    /// reach it (others are `not_applicable`); with named rules, each of them regardless of scope.
    public static func evaluate(incident: Incident, organization: Party?, rules: [NotificationRule]? = nil,
                                now: Int, book: RuleBook = .bundled, countAbsentToNow: Bool = false,
                                recipients: [String: Party] = [:]) -> [DeadlineResult] {
        DeadlineEvaluator(book: book, now: now, countAbsentToNow: countAbsentToNow, recipients: recipients)
            .evaluate(incident: incident, organization: organization, rules: rules)
    }

    /// See `evaluate(incident:organization:rules:now:book:)`.
    public func evaluate(incident: Incident, organization: Party?, rules: [NotificationRule]? = nil) -> [DeadlineResult] {
        let run = Run(book: book, incident: incident, now: now, countAbsentToNow: countAbsentToNow, recipients: recipients)
        guard let rules else {
            return book.rules.map { rule in
                if let why = Self.exclusion(rule, incident, organization) {
                    return DeadlineResult(rule: rule, status: .notApplicable, standard: rule.standard, notes: [why])
                }
                return run.evaluate(rule)
            }
        }
        return rules.map { rule in
            var result = run.evaluate(rule)
            if let why = Self.exclusion(rule, incident, organization) { result.notes.insert("outside the rule's scope: \(why)", at: 0) }
            return result
        }
    }

    /// Why a rule's jurisdiction or scope leaves the incident out, or nil.
    public static func exclusion(_ rule: NotificationRule, _ incident: Incident, _ organization: Party?) -> String? {
        guard Jurisdiction.covers(rule.jurisdictions, anyOf: incident.jurisdictions) else {
            let listed = incident.jurisdictions.isEmpty ? "none" : incident.jurisdictions.joined(separator: ", ")
            return "the incident's jurisdictions (\(listed)) are outside \(rule.jurisdictions.joined(separator: ", "))"
        }
        return rule.scope.exclusion(of: incident, organization: organization)
    }
}

/// One incident's evaluation: its events placed once, submissions of staged rules remembered.
private final class Run {
    let book: RuleBook
    let incident: Incident
    let now: Int
    let countAbsentToNow: Bool
    let recipients: [String: Party]
    let zone: TimeZone
    /// Events in the contract's "earliest" order: (local start, precision, input order).
    let order: [Int]
    let rank: [Int]
    var submissions: [String: Int?] = [:]

    init(book: RuleBook, incident: Incident, now: Int, countAbsentToNow: Bool, recipients: [String: Party]) {
        self.book = book
        self.incident = incident
        self.now = now
        self.countAbsentToNow = countAbsentToNow
        self.recipients = recipients
        zone = incident.zone
        let starts = incident.events.map { $0.at.placement(in: incident.zone).localStart }
        let events = incident.events
        order = events.indices.sorted { a, b in
            Timeline.precedes((starts[a], events[a].at.precision, a), (starts[b], events[b].at.precision, b))
        }
        var rank = Array(repeating: 0, count: order.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        self.rank = rank
    }

    func evaluate(_ rule: NotificationRule) -> DeadlineResult {
        var result = DeadlineResult(rule: rule, status: .notStarted, duration: rule.duration, standard: rule.standard, notes: [])
        if let s = submission(rule.id, depth: 0) { result.satisfiedBy = EventRef(s, incident.events[s]) }
        guard let start = clockStart(rule.start) else {
            result.notes.append(missingStart(rule.start))
            return result
        }
        result.clockStart = EventRef(start, incident.events[start])
        let startDays = incident.events[start].at.placement(in: zone).days

        // The version in force on the day the clock started.
        var version: (duration: RuleDuration?, standard: String?)? = (rule.duration, rule.standard)
        if let from = rule.effectiveFromDay {
            if startDays.upperBound < from {
                if let old = rule.earlier.first(where: { $0.covers(startDays.lowerBound) }) {
                    version = (old.duration, old.standard)
                    result.notes.append("the version in force from \(old.effectiveFrom) to \(old.effectiveTo) applies")
                } else {
                    version = nil
                    result.notes.append("not in force on \(CivilDate.string(fromDays: startDays.upperBound)): \(rule.instrument) applies from \(rule.effectiveFrom!)")
                }
            } else if startDays.lowerBound < from {
                result.notes.append("the clock's start is partly before the rule's first day, \(rule.effectiveFrom!); read as in force")
            }
            if let to = rule.effectiveToDay, startDays.lowerBound > to {
                version = nil
                result.notes.append("not in force on \(CivilDate.string(fromDays: startDays.lowerBound)): \(rule.instrument) ended on \(rule.effectiveTo!)")
            }
        } else {
            version = nil
            result.notes.append("\(rule.instrument) is not in force")
        }

        let applied = version ?? (rule.duration, rule.standard)
        result.duration = applied.duration
        result.standard = applied.standard
        verdict(&result, rule: rule, duration: applied.duration, start: start)
        if version == nil {
            result.wouldBe = result.status
            result.status = .notInForce
        }
        return result
    }

    /// Fills the due range, lateness and status of a rule whose clock started at event `start`.
    private func verdict(_ result: inout DeadlineResult, rule: NotificationRule, duration: RuleDuration?, start: Int) {
        guard let duration else {
            result.status = .noFixedDeadline
            return
        }
        let inDays = duration.countsDays
        let dayZone = duration.unit == .businessDays ? zone(duration.calendar?.zoneIdentifier) : zone
        var due = dueRange(of: start, duration, dayZone: dayZone)
        // Further clocks: the earliest due wins, unless it expires before the main clock starts
        // (DORA: classified after 24 h, the notice is due 4 h after classification).
        let mainStart = inDays ? incident.events[start].at.placement(in: dayZone).firstDay : incident.events[start].at.firstInstant(in: zone)
        for clock in rule.alsoDue where clock.duration.countsDays == inDays {
            guard let other = clockStart(clock.start) else { continue }
            let alternative = dueRange(of: other, clock.duration, dayZone: dayZone)
            guard alternative.upper >= mainStart else {
                result.notes.append("the \(clock.duration) clock from \(clock.start) expired before the clock from \(rule.start) started")
                continue
            }
            if alternative.lower < due.lower || alternative.upper < due.upper {
                due = DueRange(lower: min(due.lower, alternative.lower), upper: min(due.upper, alternative.upper), inDays: inDays)
                result.notes.append("the \(clock.duration) clock from \(clock.start) comes first")
            }
        }
        result.due = due

        guard let satisfied = result.satisfiedBy else {
            let present = inDays ? Self.day(of: now, in: dayZone) : now
            let types = rule.satisfiedBy.map(\.rawValue).joined(separator: " or ")
            if let shared = earlierStageEvent(rule) {
                // One notice recorded for two stages (an early warning that was also the full
                // notification) cannot be told apart from a missing second notice.
                result.status = .unknown
                result.notes.insert("the only \(types) (\(incident.events[shared].at)) is counted as the submission for \(rule.follows!); no later one is recorded, so whether it also served as this stage is unknown", at: 0)
            } else if let closed = incident.closed {
                // A closed record holds every notice that was given: this one never was.
                // Lateness runs to the close, the last day the data speaks for.
                result.status = .missed
                let close = submittedRange(closed, duration, inDays: inDays, dayZone: dayZone)
                if close.upper > due.lower {
                    result.lateBy = DueRange(lower: max(0, close.lower - due.upper), upper: close.upper - due.lower, inDays: inDays)
                    result.notes.insert("no \(types) recorded by the close on \(closed); lateness counted to the close", at: 0)
                } else {
                    result.notes.insert("no \(types) recorded by the close on \(closed), before the notice was due", at: 0)
                }
            } else if present <= due.upper {
                result.status = .open
                result.timeLeft = due.lower - present
            } else if countAbsentToNow {
                result.status = .missed
                result.lateBy = DueRange(lower: present - due.upper, upper: present - due.lower, inDays: inDays)
                result.notes.append("no \(types) event on the timeline; lateness counted to now")
            } else {
                result.status = .unknown
                result.notes.insert("no \(types) recorded", at: 0)
            }
            return
        }
        let when = submittedRange(incident.events[satisfied.index].at, duration, inDays: inDays, dayZone: dayZone)
        result.lateBy = DueRange(lower: when.lower - due.upper, upper: when.upper - due.lower, inDays: inDays)
        if when.upper <= due.lower {
            result.status = .met
            result.lateBy = nil
        } else if when.lower > due.upper {
            result.status = .missed
        } else {
            result.status = .uncertain
        }
    }

    /// The due range of a clock started at an event, over every reading of its date.
    private func dueRange(of start: Int, _ duration: RuleDuration, dayZone: TimeZone) -> DueRange {
        let at = incident.events[start].at
        if duration.countsDays {
            let days = at.placement(in: dayZone).days
            return DueRange(lower: duration.dueDay(from: days.lowerBound), upper: duration.dueDay(from: days.upperBound), inDays: true)
        }
        let first = at.firstInstant(in: zone)
        let last = at.hasTimeOfDay ? first : at.endInstant(in: zone)
        return DueRange(lower: duration.dueInstant(from: first), upper: duration.dueInstant(from: last), inDays: false)
    }

    /// When a submission counts, over every reading: instants, or days (after the cutoff, the next business day).
    private func submittedRange(_ at: EventTime, _ duration: RuleDuration, inDays: Bool, dayZone: TimeZone) -> DueRange {
        guard inDays else {
            let first = at.firstInstant(in: zone)
            return DueRange(lower: first, upper: at.hasTimeOfDay ? first : at.endInstant(in: zone), inDays: false)
        }
        let placement = at.placement(in: dayZone)
        var days = placement.days
        if let cutoff = duration.cutoff.flatMap(cutoffSeconds), let calendar = duration.calendar, at.hasTimeOfDay,
           placement.localStart - placement.firstDay * 86_400 >= cutoff {
            let next = calendar.nextBusinessDay(after: placement.firstDay)
            days = next...next
        }
        return DueRange(lower: days.lowerBound, upper: days.upperBound, inDays: true)
    }

    /// For a stage that follows another: an event of its types that the earlier stage's
    /// submission already took, when there is no later one.
    private func earlierStageEvent(_ rule: NotificationRule) -> Int? {
        guard let previous = rule.follows, let p = submission(previous, depth: 0) else { return nil }
        return order.last { rank[$0] <= rank[p] && satisfies(incident.events[$0], rule) }
    }

    /// Whether an event can satisfy a rule: of one of its types, and not a regulator
    /// notification the data shows went to an authority outside the rule's jurisdictions.
    private func satisfies(_ event: Event, _ rule: NotificationRule) -> Bool {
        guard rule.satisfiedBy.contains(event.type) else { return false }
        guard event.type == .regulatorNotification, let id = event.party, let party = recipients[id],
              party.kind == .regulator || party.kind == .agency, let country = party.country, !country.isEmpty else { return true }
        return Jurisdiction.covers(rule.jurisdictions, anyOf: [country])
    }

    /// The event that starts a clock, or nil.
    private func clockStart(_ start: ClockStart) -> Int? {
        switch start {
        case .earliestOf(let types): order.first { types.contains(incident.events[$0].type) }
        case .submissionOf(let previous): submission(previous, depth: 0)
        }
    }

    private func missingStart(_ start: ClockStart) -> String {
        switch start {
        case .earliestOf(let types): "no \(types.map(\.rawValue).joined(separator: " or ")) event on the timeline to start the clock"
        case .submissionOf(let previous): "no submission for \(previous) on the timeline to start the clock"
        }
    }

    /// The event that satisfied a rule: the earliest of its types, after the submission of the
    /// stage it follows (or chains from) when it is staged.
    private func submission(_ id: String, depth: Int) -> Int? {
        if let known = submissions[id] { return known }
        guard depth < 16, let rule = book.rule(id: id) else { return nil }
        var after = -1
        if case .submissionOf(let previous) = rule.start {
            // A stage chained to an earlier submission cannot be satisfied before that submission exists.
            guard let p = submission(previous, depth: depth + 1) else {
                submissions[id] = .some(nil)
                return nil
            }
            after = rank[p]
        } else if let previous = rule.follows, let p = submission(previous, depth: depth + 1) {
            after = rank[p]
        }
        let found = order.first { rank[$0] > after && satisfies(incident.events[$0], rule) }
        submissions[id] = .some(found)
        return found
    }

    private func zone(_ identifier: String?) -> TimeZone {
        guard let identifier else { return zone }
        return Zones.named(identifier) ?? zone
    }

    /// The calendar day of an instant in a zone.
    static func day(of instant: Int, in zone: TimeZone) -> Int {
        let local = instant + zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        return Int((Double(local) / 86_400).rounded(.down))
    }
}
