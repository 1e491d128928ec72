import Foundation

/// A calendar of business days: weekends and public holidays, computed per year.
public enum BusinessCalendar: String, Vocabulary {
    /// Monday to Friday, no holidays.
    case weekends
    /// US federal holidays (5 U.S.C. 6103), with the observed-day rules; Juneteenth from 2021.
    case usFederal = "us-federal"
    /// Brazil's national holidays, with Carnival, Good Friday and Corpus Christi from Easter;
    /// Black Consciousness Day from 2024.
    case brazil = "br-national"
    public static let vocabularyName = "business-day calendar"

    /// The zone a day is read in when an instant has to be placed on this calendar.
    public var zoneIdentifier: String {
        switch self {
        case .weekends: "UTC"
        case .usFederal: "America/New_York"
        case .brazil: "America/Sao_Paulo"
        }
    }

    /// True for Monday to Friday days that are not holidays.
    public func isBusinessDay(_ day: Int) -> Bool {
        let weekday = CivilDate.weekday(day)
        guard weekday != 0 && weekday != 6 else { return false }
        return !holidays(in: CivilDate.civil(fromDays: day).year).contains(day)
    }

    /// The first business day after `day`.
    public func nextBusinessDay(after day: Int) -> Int {
        var d = day + 1
        while !isBusinessDay(d) { d += 1 }
        return d
    }

    /// The day `count` business days after `day`, not counting `day` itself.
    public func adding(businessDays count: Int, to day: Int) -> Int {
        var d = day
        for _ in 0..<count { d = nextBusinessDay(after: d) }
        return d
    }

    /// The days (since 1970) that are holidays, as observed, within the year.
    public func holidays(in year: Int) -> Set<Int> {
        switch self {
        case .weekends: return []
        case .usFederal:
            // A New Year's Day on a Saturday is observed on Friday 31 December of the year before.
            return Set((Self.usFederalDates(year) + Self.usFederalDates(year + 1)).map(Self.observed)
                .filter { CivilDate.civil(fromDays: $0).year == year })
        case .brazil:
            return Set(Self.brazilDates(year))
        }
    }

    /// A US holiday on a Saturday is observed on the Friday before, on a Sunday on the Monday after.
    static func observed(_ day: Int) -> Int {
        switch CivilDate.weekday(day) {
        case 6: day - 1
        case 0: day + 1
        default: day
        }
    }

    /// The actual dates of the US federal holidays of a year (before the observed-day shift).
    static func usFederalDates(_ year: Int) -> [Int] {
        func date(_ m: Int, _ d: Int) -> Int { CivilDate.daysFromCivil(year: year, month: m, day: d) }
        var days = [
            date(1, 1),
            nthWeekday(1, n: 3, month: 2, year: year),  // Washington's Birthday
            lastWeekday(1, month: 5, year: year),        // Memorial Day
            date(7, 4),
            nthWeekday(1, n: 1, month: 9, year: year),   // Labor Day
            nthWeekday(1, n: 2, month: 10, year: year),  // Columbus Day
            date(11, 11),
            nthWeekday(4, n: 4, month: 11, year: year),  // Thanksgiving
            date(12, 25),
        ]
        if year >= 1986 { days.append(nthWeekday(1, n: 3, month: 1, year: year)) }  // Martin Luther King Jr. Day
        if year >= 2021 { days.append(date(6, 19)) }                                 // Juneteenth
        return days
    }

    /// Brazil's national holidays of a year (Lei 662/1949, Lei 6.802/1980, Lei 14.759/2023).
    static func brazilDates(_ year: Int) -> [Int] {
        func date(_ m: Int, _ d: Int) -> Int { CivilDate.daysFromCivil(year: year, month: m, day: d) }
        let easter = easterSunday(year)
        var days = [
            date(1, 1), easter - 48, easter - 47, easter - 2, date(4, 21), date(5, 1), easter + 60,
            date(9, 7), date(10, 12), date(11, 2), date(11, 15), date(12, 25),
        ]
        if year >= 2024 { days.append(date(11, 20)) }
        return days
    }

    /// Western Easter Sunday (the anonymous Gregorian algorithm), as days since 1970.
    public static func easterSunday(_ year: Int) -> Int {
        let a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// The `n`th weekday (0 Sunday ... 6 Saturday) of a month.
    static func nthWeekday(_ weekday: Int, n: Int, month: Int, year: Int) -> Int {
        let first = CivilDate.daysFromCivil(year: year, month: month, day: 1)
        return first + (weekday - CivilDate.weekday(first) + 7) % 7 + (n - 1) * 7
    }

    /// The last weekday of a month.
    static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> Int {
        let last = CivilDate.daysFromCivil(year: year, month: month, day: CivilDate.daysInMonth(year: year, month: month))
        return last - (CivilDate.weekday(last) - weekday + 7) % 7
    }
}
