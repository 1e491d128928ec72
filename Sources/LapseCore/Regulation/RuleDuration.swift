import Foundation

/// How a rule counts its time.
public enum DeadlineUnit: String, Vocabulary {
    /// Elapsed hours between UTC instants: weekends, nights and clock changes all count.
    case hours
    /// Whole calendar days after the start's day: day N ends at the end of the start day + N.
    case calendarDays
    /// Business days on a calendar, not counting the start day.
    case businessDays
    /// Calendar months, clamped to the end of a shorter month (31 January + 1 month = end of February).
    case calendarMonths
    /// N days after the end of the calendar year the clock starts in.
    case daysAfterYearEnd
    public static let vocabularyName = "deadline unit"
}

/// The time a rule allows: an amount of a unit, with the unit's options.
public struct RuleDuration: Codable, Sendable, Hashable, CustomStringConvertible {
    public var amount: Int
    public var unit: DeadlineUnit
    /// The calendar for business days.
    public var calendar: BusinessCalendar?
    /// SEC: a trigger on a non-business day starts counting from the next business day.
    public var startsOnNextBusinessDay: Bool
    /// SEC: a submission at or after this local time (`HH:MM`, in the calendar's zone) counts on the next business day.
    public var cutoff: String?

    public init(amount: Int, unit: DeadlineUnit, calendar: BusinessCalendar? = nil,
                startsOnNextBusinessDay: Bool = false, cutoff: String? = nil) {
        self.amount = amount
        self.unit = unit
        self.calendar = calendar
        self.startsOnNextBusinessDay = startsOnNextBusinessDay
        self.cutoff = cutoff
    }

    enum CodingKeys: String, CodingKey { case amount, unit, calendar, startsOnNextBusinessDay, cutoff }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        amount = try c.decode(Int.self, forKey: .amount)
        unit = try c.decode(DeadlineUnit.self, forKey: .unit)
        calendar = try c.decodeIfPresent(BusinessCalendar.self, forKey: .calendar)
        startsOnNextBusinessDay = try c.decodeIfPresent(Bool.self, forKey: .startsOnNextBusinessDay) ?? false
        cutoff = try c.decodeIfPresent(String.self, forKey: .cutoff)
        guard amount >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "amount \(amount) is negative; expected 0 or more")
        }
        if unit == .businessDays && calendar == nil {
            throw DecodingError.dataCorruptedError(forKey: .calendar, in: c,
                debugDescription: "business days need a \"calendar\"; expected one of: \(BusinessCalendar.allowedValues)")
        }
        if let cutoff, cutoffSeconds(cutoff) == nil {
            throw DecodingError.dataCorruptedError(forKey: .cutoff, in: c, debugDescription: "\"\(cutoff)\" is not a time; expected HH:MM")
        }
    }

    /// True when the unit counts whole days rather than hours.
    public var countsDays: Bool { unit != .hours }

    /// The due instant (seconds since 1970 UTC) of a clock that started at an instant.
    public func dueInstant(from start: Int) -> Int {
        start + amount * 3600
    }

    /// The last day (days since 1970) of a clock that started on a day.
    public func dueDay(from start: Int) -> Int {
        switch unit {
        case .hours: return start + (amount * 3600 + 86_399) / 86_400
        case .calendarDays: return start + amount
        case .businessDays:
            let calendar = calendar ?? .weekends
            var day = start
            if startsOnNextBusinessDay && !calendar.isBusinessDay(day) { day = calendar.nextBusinessDay(after: day) }
            return calendar.adding(businessDays: amount, to: day)
        case .calendarMonths: return CivilDate.addingMonths(amount, to: start)
        case .daysAfterYearEnd:
            let year = CivilDate.civil(fromDays: start).year
            return CivilDate.daysFromCivil(year: year, month: 12, day: 31) + amount
        }
    }

    /// `72 hours`, `4 business days (us-federal)`, `1 calendar month`.
    public var description: String {
        let words: String = switch unit {
        case .hours: amount == 1 ? "hour" : "hours"
        case .calendarDays: amount == 1 ? "calendar day" : "calendar days"
        case .businessDays: amount == 1 ? "business day" : "business days"
        case .calendarMonths: amount == 1 ? "calendar month" : "calendar months"
        case .daysAfterYearEnd: amount == 1 ? "day after the end of the calendar year" : "days after the end of the calendar year"
        }
        let suffix = unit == .businessDays ? " (\(calendar?.rawValue ?? "weekends"))" : ""
        return "\(amount) \(words)\(suffix)"
    }
}

/// Seconds after midnight of an `HH:MM` text, or nil.
func cutoffSeconds(_ text: String) -> Int? {
    let parts = text.split(separator: ":")
    guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
          let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
    return h * 3600 + m * 60
}

extension CivilDate {
    /// The day `months` calendar months after `day`, clamped to the end of a shorter month.
    public static func addingMonths(_ months: Int, to day: Int) -> Int {
        let c = civil(fromDays: day)
        let index = c.year * 12 + (c.month - 1) + months
        let year = index >= 0 ? index / 12 : (index - 11) / 12
        let month = index - year * 12 + 1
        return daysFromCivil(year: year, month: month, day: min(c.day, daysInMonth(year: year, month: month)))
    }

    /// Day of the week of a day number: 0 Sunday ... 6 Saturday (1970-01-01 was a Thursday).
    public static func weekday(_ day: Int) -> Int {
        ((day % 7) + 7 + 4) % 7
    }
}
