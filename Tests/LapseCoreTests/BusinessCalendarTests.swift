import Foundation
import Testing
@testable import LapseCore

private func day(_ s: String) -> Int {
    let p = s.split(separator: "-").map { Int($0)! }
    return CivilDate.daysFromCivil(year: p[0], month: p[1], day: p[2])
}

@Suite("Business-day calendars and day units")
struct BusinessCalendarTests {
    @Test("US federal holidays as observed (OPM lists)", arguments: [
        (2024, ["2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02",
                "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25"]),
        // 2021: Juneteenth's first year, on a Saturday (observed Friday 18th); Independence Day on a
        // Sunday (Monday 5th); Christmas on a Saturday (Friday 24th); New Year 2022 on a Saturday (Friday 31st).
        (2021, ["2021-01-01", "2021-01-18", "2021-02-15", "2021-05-31", "2021-06-18", "2021-07-05", "2021-09-06",
                "2021-10-11", "2021-11-11", "2021-11-25", "2021-12-24", "2021-12-31"]),
        // 2020: no Juneteenth yet.
        (2020, ["2020-01-01", "2020-01-20", "2020-02-17", "2020-05-25", "2020-07-03", "2020-09-07", "2020-10-12",
                "2020-11-11", "2020-11-26", "2020-12-25"]),
    ])
    func usHolidays(year: Int, expected: [String]) {
        #expect(BusinessCalendar.usFederal.holidays(in: year) == Set(expected.map(day)))
    }

    @Test("Easter Sunday", arguments: [(2000, "2000-04-23"), (2011, "2011-04-24"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2025, "2025-04-20"), (2038, "2038-04-25")])
    func easter(year: Int, expected: String) {
        #expect(BusinessCalendar.easterSunday(year) == day(expected))
    }

    @Test("Brazil's national holidays move with Easter")
    func brazil() {
        let h = BusinessCalendar.brazil.holidays(in: 2024)
        for d in ["2024-02-12", "2024-02-13", "2024-03-29", "2024-04-21", "2024-05-30", "2024-11-20", "2024-12-25"] {
            #expect(h.contains(day(d)), "\(d) is a holiday in Brazil")
        }
        #expect(!BusinessCalendar.brazil.holidays(in: 2023).contains(day("2023-11-20")), "Black Consciousness Day is national from 2024")
        #expect(!h.contains(day("2024-03-28")))
    }

    @Test("SEC: four business days after the determination", arguments: [
        ("2023-06-15", "2023-06-22"),  // Juneteenth (Monday) skipped
        ("2020-06-17", "2020-06-23"),  // before 2021, 19 June is a business day
        ("2021-06-16", "2021-06-23"),  // Juneteenth 2021 observed on Friday the 18th
        ("2023-11-21", "2023-11-28"),  // Thanksgiving skipped; the Friday after it is a business day
        ("2021-12-28", "2022-01-04"),  // New Year 2022 observed on Friday 2021-12-31
        ("2022-12-29", "2023-01-05"),  // New Year 2023 observed on Monday 2023-01-02
        ("2024-03-09", "2024-03-15"),  // a Saturday trigger counts from Monday: Friday, not Thursday
        ("2024-01-14", "2024-01-22"),  // a Sunday before MLK Day counts from Tuesday
        ("2024-03-04", "2024-03-08"),  // an ordinary week
    ])
    func secBusinessDays(trigger: String, due: String) {
        let sec = RuleDuration(amount: 4, unit: .businessDays, calendar: .usFederal, startsOnNextBusinessDay: true)
        #expect(sec.dueDay(from: day(trigger)) == day(due))
    }

    @Test("a trigger on a weekend without the SEC rule counts from the next day")
    func weekendWithoutRoll() {
        let plain = RuleDuration(amount: 4, unit: .businessDays, calendar: .usFederal)
        #expect(plain.dueDay(from: day("2024-03-09")) == day("2024-03-14"))
        let lgpd = RuleDuration(amount: 3, unit: .businessDays, calendar: .brazil)
        #expect(lgpd.dueDay(from: day("2024-03-28")) == day("2024-04-03"), "Good Friday is skipped")
    }

    @Test("calendar months clamp to the end of a shorter month", arguments: [
        ("2023-01-31", 1, "2023-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2024-01-30", 1, "2024-02-29"),
        ("2024-03-31", 1, "2024-04-30"), ("2024-12-15", 1, "2025-01-15"), ("2023-08-31", 6, "2024-02-29"),
        ("2023-01-31", 13, "2024-02-29"), ("2024-01-31", 2, "2024-03-31"),
    ])
    func months(from: String, amount: Int, expected: String) {
        #expect(RuleDuration(amount: amount, unit: .calendarMonths).dueDay(from: day(from)) == day(expected))
    }

    @Test("60 days after the end of the calendar year (HIPAA, fewer than 500)", arguments: [
        ("2023-05-10", "2024-02-29"), ("2023-12-31", "2024-02-29"), ("2024-01-01", "2025-03-01"),
        ("2024-12-31", "2025-03-01"), ("2019-07-04", "2020-02-29"),
    ])
    func yearEnd(discovery: String, expected: String) {
        #expect(RuleDuration(amount: 60, unit: .daysAfterYearEnd).dueDay(from: day(discovery)) == day(expected))
    }

    @Test("calendar days count the days after the start day", arguments: [
        ("2026-02-01", 30, "2026-03-03"), ("2024-02-01", 30, "2024-03-02"), ("2024-06-03", 3, "2024-06-06"),
    ])
    func calendarDays(from: String, amount: Int, expected: String) {
        #expect(RuleDuration(amount: amount, unit: .calendarDays).dueDay(from: day(from)) == day(expected))
    }

    @Test("weekdays", arguments: [("1970-01-01", 4), ("2024-03-09", 6), ("2024-03-10", 0), ("1969-12-31", 3), ("2000-02-29", 2)])
    func weekdays(date: String, expected: Int) {
        #expect(CivilDate.weekday(day(date)) == expected)
    }
}
