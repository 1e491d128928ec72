import Foundation
import Testing
@testable import LapseCore

@Suite("EventTime")
struct EventTimeTests {
    @Test("valid forms round-trip unchanged", arguments: [
        "2011", "2011-04", "2011-04-20", "2011-04-20T17:50", "2011-04-20T17:50:00-07:00",
        "2011-04-20T17:50:07Z", "2011-04-20T17:50:00+00:00", "2011-04-20T17:50+09:00", "2011~", "2011-04?",
        "2011-04-20~", "2011-04-20T17:50:00-07:00?", "2000-02-29", "2024-02-29", "0001-01-01", "9999-12-31",
        "2011-04-20T00:00:00+05:45", "2011-04-20T23:59:59-12:00", "2011-04-20T17:50:00-00:00", "2011-04-20T17:50-00:00~",
    ])
    func roundTrip(_ text: String) throws {
        let time = try EventTime(parsing: text)
        #expect(time.description == text)
        #expect(EventTime(time.description) == time)
    }

    @Test("precision follows what was written", arguments: [
        ("2011", EventTime.Precision.year), ("2011-04", .month), ("2011-04-20", .day),
        ("2011-04-20T17:50", .minute), ("2011-04-20T17:50+02:00", .minute), ("2011-04-20T17:50:00Z", .second),
    ])
    func precision(_ text: String, _ expected: EventTime.Precision) throws {
        #expect(try EventTime(parsing: text).precision == expected)
    }

    @Test("qualifiers are read", arguments: [("2011~", true, false), ("2011-04?", false, true), ("2011", false, false)])
    func qualifiers(_ text: String, approximate: Bool, uncertain: Bool) throws {
        let t = try EventTime(parsing: text)
        #expect(t.isApproximate == approximate)
        #expect(t.isUncertain == uncertain)
    }

    @Test("impossible and malformed dates are rejected with a reason", arguments: [
        ("", "empty"), ("2011-02-30", "does not exist"), ("2011-02-29", "does not exist"),
        ("1900-02-29", "does not exist"), ("2100-02-29", "does not exist"), ("2011-13", "month 13"),
        ("2011-00", "month 0"), ("2011-04-31", "does not exist"), ("2011-04-00", "does not exist"),
        ("2011-4-20", "2 digits"), ("11-04-20", "4 digits"), ("2011-04-20T24:00", "hour 24"),
        ("2011-04-20T17:60", "minute 60"), ("2011-04-20T17:50:61Z", "second 61"),
        ("2011-04-20T17:50:00", "must carry an offset"), ("2011-04-20T17", "minutes"),
        ("2011-04-20 17:50", "unexpected"), ("2011-04-20T17:50:00+7:00", "2 digits"),
        ("2011-04-20T17:50:00.123Z", "fractions of a second"), ("April 2011", "4 digits"), ("0000", "0000"),
        ("2011~?", "unexpected"), ("2011-04-20T17:50:00+15:00", "out of range"),
    ])
    func rejects(_ text: String, _ reason: String) {
        #expect(throws: EventTimeError.self) { try EventTime(parsing: text) }
        #expect(EventTime(text) == nil)
        do {
            _ = try EventTime(parsing: text)
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
            #expect(error.description.contains("expected"))
        }
    }

    @Test("days covered by partial dates, including month lengths and leap years", arguments: [
        ("2011", "2011-01-01", "2011-12-31"), ("2012-02", "2012-02-01", "2012-02-29"),
        ("2011-02", "2011-02-01", "2011-02-28"), ("2000-02", "2000-02-01", "2000-02-29"),
        ("1900-02", "1900-02-01", "1900-02-28"), ("2011-04", "2011-04-01", "2011-04-30"),
        ("2011-12", "2011-12-01", "2011-12-31"), ("2011-04-20", "2011-04-20", "2011-04-20"),
        ("2011-04-20T23:30", "2011-04-20", "2011-04-20"),
    ])
    func dayRange(_ text: String, _ first: String, _ last: String) throws {
        let range = try EventTime(parsing: text).dayRange(in: TimeZone(identifier: "UTC")!)
        #expect(CivilDate.string(fromDays: range.lowerBound) == first)
        #expect(CivilDate.string(fromDays: range.upperBound) == last)
    }

    @Test("an instant with an offset falls on the calendar day of the incident's zone")
    func instantInZone() throws {
        let t = try EventTime(parsing: "2011-04-26T23:30:00-07:00")
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let la = TimeZone(identifier: "America/Los_Angeles")!
        #expect(CivilDate.string(fromDays: t.dayRange(in: la).lowerBound) == "2011-04-26")
        #expect(CivilDate.string(fromDays: t.dayRange(in: tokyo).lowerBound) == "2011-04-27")
    }

    @Test("local times are read in the incident's zone, across a daylight-saving change")
    func localTimeAcrossDST() throws {
        let ny = TimeZone(identifier: "America/New_York")!
        // 2021-03-14 02:00 EST → 03:00 EDT: 01:30 EST and 03:30 EDT are one hour apart.
        let before = try EventTime(parsing: "2021-03-14T01:30").firstInstant(in: ny)
        let after = try EventTime(parsing: "2021-03-14T03:30").firstInstant(in: ny)
        #expect(after - before == 3600)
        #expect(before == (try EventTime(parsing: "2021-03-14T06:30:00Z").firstInstant(in: ny)))
    }

    @Test("civil day numbers round-trip over four centuries")
    func civilRoundTrip() {
        for days in stride(from: -200_000, through: 200_000, by: 97) {
            let c = CivilDate.civil(fromDays: days)
            #expect(CivilDate.daysFromCivil(year: c.year, month: c.month, day: c.day) == days)
        }
        #expect(CivilDate.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.string(fromDays: 15084) == "2011-04-20")
    }

    @Test("JSON decoding names the reason for a bad time")
    func decoding() throws {
        struct Box: Decodable { var at: EventTime }
        let good = try JSONDecoder().decode(Box.self, from: Data(#"{"at":"2011-04-20"}"#.utf8))
        #expect(good.at.description == "2011-04-20")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"at":"2011-02-30"}"#.utf8)) }
    }
}

@Suite("Day delays")
struct DayDelayTests {
    let utc = TimeZone(identifier: "UTC")!

    @Test("day differences follow the data contract", arguments: [
        ("2011-04-20", "2011-05-01", 11, 11), // the PSN outage to the Tokyo apology
        ("2016-10", "2017-11-21", 386, 416), // the contract's own example
        ("2011", "2011-12-31", 0, 364), ("2012", "2013", 1, 730),
        ("2011-05-01", "2011-04-20", -11, -11), ("2024-02-28", "2024-03-01", 2, 2), ("2023-02-28", "2023-03-01", 1, 1),
        ("2011-04-20T23:50", "2011-04-21T00:10", 1, 1),
    ])
    func delays(_ from: String, _ to: String, _ min: Int, _ max: Int) throws {
        let d = DayDelay(from: try EventTime(parsing: from), to: try EventTime(parsing: to), in: utc)
        #expect(d.min == min)
        #expect(d.max == max)
    }

    @Test("ranges and offsets print as a reader expects")
    func printing() {
        #expect(DayDelay(min: 11, max: 11).description == "11 d")
        #expect(DayDelay(min: 386, max: 416).description == "386–416 d")
        #expect(DayDelay(min: 11, max: 11).signed == "+11 d")
        #expect(DayDelay(min: -3, max: -3).signed == "−3 d")
    }
}

@Suite("Instants as text")
struct InstantTextTests {
    @Test("instants print in the proleptic Gregorian calendar, as they were read", arguments: [
        "1970-01-01T00:00:00Z", "2011-04-20T17:50:00Z", "0001-01-01T00:00:00Z", "1582-10-10T12:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
    ])
    func roundTrip(_ text: String) throws {
        let instant = try EventTime(parsing: text).firstInstant(in: TimeZone(identifier: "UTC")!)
        #expect(CivilDate.isoInstant(instant) == text)
    }
}

@Suite("EventTime from computed parts")
struct CheckedEventTimeTests {
    @Test("parts out of range give nil, never a trap or an unprintable time", arguments: [
        (0, nil, nil), (10_000, nil, nil), (40_000, nil, nil), (Int.max, nil, nil), (Int.min, nil, nil),
        (2020, 13, nil), (2020, 0, nil), (2021, 2, 29), (2020, 4, 31), (2020, nil, 1), (2020, 1, 0),
    ] as [(Int, Int?, Int?)])
    func rejected(_ year: Int, _ month: Int?, _ day: Int?) {
        #expect(EventTime(checkingYear: year, month: month, day: day) == nil)
    }

    @Test("times and offsets are checked too")
    func times() {
        #expect(EventTime(checkingYear: 2020, month: 1, day: 1, hour: 24, minute: 0) == nil)
        #expect(EventTime(checkingYear: 2020, month: 1, day: 1, hour: 23, minute: 60) == nil)
        #expect(EventTime(checkingYear: 2020, month: 1, day: 1, hour: 23, minute: 59, second: 60, utcOffset: 0) == nil)
        #expect(EventTime(checkingYear: 2020, month: 1, day: 1, hour: 10, minute: 0, utcOffset: 15 * 3600) == nil)
        #expect(EventTime(checkingYear: 2020, hour: 10, minute: 0) == nil)
        #expect(EventTime(checkingYear: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, utcOffset: 14 * 3600 + 59 * 60)?.description
                == "9999-12-31T23:59:59+14:59")
        #expect(EventTime(checkingYear: 1, qualifier: .approximate)?.description == "0001~")
    }
}
