import Foundation

/// The verdict of one rule on one incident.
public enum DeadlineStatus: String, Vocabulary {
    /// The satisfying event came by the due time, on every reading of the dates.
    case met
    /// The satisfying event came after the due time; or none is recorded on an incident marked
    /// closed (late up to the close), or, when asked to count to now, none came and the due time
    /// has passed.
    case missed
    /// No satisfying event yet and the due time is still ahead.
    case open
    /// The rule was not in force when the clock started; see `wouldBe`.
    case notInForce = "not_in_force"
    /// The law sets no number ("without undue delay"); see `standard`.
    case noFixedDeadline = "no_fixed_deadline"
    /// The rule's scope leaves the incident out; see `note`.
    case notApplicable = "not_applicable"
    /// Partial dates: some readings meet the deadline and some miss it.
    case uncertain
    /// The event that starts the clock is not on the timeline.
    case notStarted = "not_started"
    /// The due time has passed and no satisfying event is recorded: whether and when notice was
    /// given is not known from the data.
    case unknown
    public static let vocabularyName = "deadline status"
}

/// A span of readings: instants (seconds since 1970 UTC) for hour clocks, days (since 1970) for
/// day clocks. `lower == upper` when the dates are precise enough for one answer.
public struct DueRange: Sendable, Hashable, CustomStringConvertible {
    public var lower: Int
    public var upper: Int
    /// True when the bounds are days, false when they are instants.
    public var inDays: Bool

    public init(lower: Int, upper: Int, inDays: Bool) {
        self.lower = lower
        self.upper = upper
        self.inDays = inDays
    }

    public var isExact: Bool { lower == upper }

    /// `2017-08-21`, `2011-04-22T23:15:00Z`, or `a … b` for a range.
    public var description: String {
        isExact ? Self.text(lower, inDays: inDays) : Self.text(lower, inDays: inDays) + " … " + Self.text(upper, inDays: inDays)
    }

    /// The lower bound as text.
    public var lowerText: String { Self.text(lower, inDays: inDays) }
    /// The upper bound as text.
    public var upperText: String { Self.text(upper, inDays: inDays) }

    /// A day as `YYYY-MM-DD`, an instant as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func text(_ value: Int, inDays: Bool) -> String {
        inDays ? CivilDate.string(fromDays: value) : CivilDate.isoInstant(value)
    }
}

/// One rule checked against one incident: the clock, the due time, the satisfying event, the verdict.
public struct DeadlineResult: Sendable, Hashable {
    public var rule: NotificationRule
    public var status: DeadlineStatus
    /// For `not_in_force`: the verdict under the rule as it stands today.
    public var wouldBe: DeadlineStatus?
    /// The event that started the clock.
    public var clockStart: EventRef?
    /// The event that satisfied the rule.
    public var satisfiedBy: EventRef?
    /// The time allowed that was applied (nil for a standard without a number).
    public var duration: RuleDuration?
    /// When the notice was due, over every reading of partial dates.
    public var due: DueRange?
    /// How late, in hours (hour clocks) or days (day clocks), over every reading; for `missed` and
    /// `uncertain`. Without a satisfying event it is measured to the incident's close, or when
    /// asked to count to now, to "now".
    public var lateBy: DueRange?
    /// For `open`: how long is left until the earliest due reading, in hours or days.
    public var timeLeft: Int?
    /// The law's words when it sets no number.
    public var standard: String?
    /// Why a rule does not apply, which version was used, what could not be checked.
    public var notes: [String]

    /// Lateness in hours (rounded to 0.01), lowest reading, for hour clocks.
    public var lateByHours: Double? { lateBy.flatMap { $0.inDays ? nil : Self.hours($0.lower) } }
    /// Lateness in hours, highest reading.
    public var lateByHoursMax: Double? { lateBy.flatMap { $0.inDays ? nil : Self.hours($0.upper) } }
    /// Lateness in days, lowest reading, for day clocks.
    public var lateByDays: Int? { lateBy.flatMap { $0.inDays ? $0.lower : nil } }
    /// Lateness in days, highest reading.
    public var lateByDaysMax: Int? { lateBy.flatMap { $0.inDays ? $0.upper : nil } }

    static func hours(_ seconds: Int) -> Double { roundedHours(seconds: seconds) }
}

extension DeadlineResult {
    /// For `open` hour clocks: hours left (rounded to 0.01).
    public var hoursLeft: Double? { due.flatMap { $0.inDays ? nil : timeLeft.map(Self.hours) } }
    /// For `open` day clocks: whole days left.
    public var daysLeft: Int? { due.flatMap { $0.inDays ? timeLeft : nil } }
}
