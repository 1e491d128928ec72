import Foundation
import PropertyBased
import Testing
@testable import LapseCore

private func t(_ s: String) -> EventTime { EventTime(s)! }

private func incident(_ events: [(EventType, String)], zone: String? = nil) -> Incident {
    Incident(id: "x", title: "X", organization: "o", kinds: [.breach], timezone: zone,
             events: events.map { Event(type: $0.0, at: t($0.1)) })
}

@Suite("Delay engine")
struct DelayEngineTests {
    let engine = DelayEngine()

    func measure(_ metric: DelayMetric, _ i: Incident) -> Delay? {
        engine.measure(metric.definition, in: i, zone: engine.zone(of: i)).delay
    }

    @Test("the PSN outage to the Tokyo apology is 11 days")
    func psn() throws {
        let psn = incident([(.intrusion, "2011-04-17"), (.outageStart, "2011-04-20"), (.detection, "2011-04-19T16:15"),
                            (.disclosure, "2011-04-26"), (.apology, "2011-05-01")], zone: "America/Los_Angeles")
        let d = try #require(measure(.timeToApologize, psn))
        #expect(d.days == DayDelay(min: 11, max: 11))
        #expect(d.fromEvent.type == .outageStart, "first of outage_start, detection: the outage wins though detection is earlier")
        #expect(d.seconds == nil)
        #expect(d.flags.isEmpty)
        #expect(measure(.timeToDisclose, psn)?.days == DayDelay(min: 7, max: 7))
        #expect(measure(.timeInTheDark, psn)?.days == DayDelay(min: 9, max: 9))
        #expect(measure(.outageDuration, psn) == nil)
    }

    @Test("precision gives ranges", arguments: [
        ("2016-10", "2017-11-21", 386, 416, true), ("2011", "2011-04-20", -255, 109, true),
        ("2011-04-20", "2011-05", 11, 41, true), ("2011-04-20T23:59", "2011-04-21T00:01", 1, 1, false),
        ("2012-02", "2012-03-01", 1, 29, true), ("2011-02", "2011-03-01", 1, 28, true),
        ("2000-02-28", "2000-03-01", 2, 2, false), ("1900-02-28", "1900-03-01", 1, 1, false),
        ("2020", "2021", 1, 730, true),
    ])
    func ranges(_ from: String, _ to: String, _ min: Int, _ max: Int, _ isRange: Bool) throws {
        let d = try #require(engine.measure(.pair(from: .intrusion, to: .disclosure),
                                            in: incident([(.intrusion, from), (.disclosure, to)]), zone: TimeZone(identifier: "UTC")!).delay)
        #expect(d.days.min == min)
        #expect(d.days.max == max)
        #expect(d.flags.contains(.range) == isRange)
    }

    @Test("hours are exact when both ends carry a time, across a daylight-saving change")
    func hoursAcrossDST() throws {
        // New York springs forward at 02:00 on 2021-03-14: 00:30 to 04:30 local is 3 hours.
        let i = incident([(.outageStart, "2021-03-14T00:30"), (.outageEnd, "2021-03-14T04:30")], zone: "America/New_York")
        let d = try #require(measure(.outageDuration, i))
        #expect(d.seconds == 3 * 3600)
        #expect(d.days == DayDelay(min: 0, max: 0))
        // Fall back on 2021-11-07: 00:30 to 04:30 local is 5 hours.
        let fall = incident([(.outageStart, "2021-11-07T00:30"), (.outageEnd, "2021-11-07T04:30")], zone: "America/New_York")
        #expect(measure(.outageDuration, fall)?.seconds == 5 * 3600)
        // Offsets and local times mix: 09:00 in New York (EST, -05:00) is 14:00Z.
        let mixed = incident([(.outageStart, "2021-01-04T09:00"), (.outageEnd, "2021-01-04T18:13:00Z")], zone: "America/New_York")
        #expect(measure(.outageDuration, mixed)?.seconds == 4 * 3600 + 13 * 60)
    }

    @Test("an instant is placed on the incident zone's calendar day")
    func zoneDay() throws {
        // 2011-05-01T14:00+09:00 is still April 30 in Los Angeles.
        let la = incident([(.outageStart, "2011-04-20"), (.apology, "2011-05-01T14:00+09:00")], zone: "America/Los_Angeles")
        #expect(measure(.timeToApologize, la)?.days == DayDelay(min: 10, max: 10))
        let tokyo = incident([(.outageStart, "2011-04-20"), (.apology, "2011-05-01T14:00+09:00")], zone: "Asia/Tokyo")
        #expect(measure(.timeToApologize, tokyo)?.days == DayDelay(min: 11, max: 11))
        #expect(measure(.timeToApologize, tokyo)?.seconds == nil, "one end has no time of day")
    }

    @Test("negative delays are reported as they are, and flagged")
    func negative() throws {
        let i = incident([(.detection, "2020-03-10"), (.disclosure, "2020-03-01")])
        let d = try #require(measure(.timeToDisclose, i))
        #expect(d.days == DayDelay(min: -9, max: -9))
        #expect(d.flags.contains(.negative))
    }

    @Test("approximate and uncertain ends flag the result")
    func qualifiers() throws {
        #expect(measure(.timeToDisclose, incident([(.detection, "2020-03-10~"), (.disclosure, "2020-04-01")]))?.flags == [.approximate])
        #expect(measure(.timeToDisclose, incident([(.detection, "2020-03-10"), (.disclosure, "2020-04?")]))?.flags == [.uncertain, .range])
    }

    @Test("'first of' is a priority list; 'earliest of' takes the earliest of all types")
    func firstOfAndEarliestOf() throws {
        // time-in-the-dark: first of intrusion, outage_start → earliest of disclosure, customer_notification.
        let i = incident([(.outageStart, "2020-01-01"), (.intrusion, "2020-01-05"), (.customerNotification, "2020-02-01"), (.disclosure, "2020-02-10")])
        let d = try #require(measure(.timeInTheDark, i))
        #expect(d.fromEvent.type == .intrusion, "intrusion has priority even though the outage is earlier")
        #expect(d.toEvent.type == .customerNotification, "the earliest of the to-types")
        #expect(d.days.min == 27)
        // outage-duration's end is a priority list: outage_end before restoration, whatever the dates.
        let o = incident([(.outageStart, "2020-01-01"), (.restoration, "2020-01-02"), (.outageEnd, "2020-01-03")])
        #expect(measure(.outageDuration, o)?.toEvent.type == .outageEnd)
        let r = incident([(.outageStart, "2020-01-01"), (.restoration, "2020-01-02")])
        #expect(measure(.outageDuration, r)?.toEvent.type == .restoration)
    }

    @Test("ties: the earliest first instant, then the more precise, then input order")
    func ties() throws {
        let monthThenDay = incident([(.detection, "2020-03"), (.detection, "2020-03-01"), (.disclosure, "2020-03-20")])
        #expect(measure(.timeToDisclose, monthThenDay)?.fromEvent.at == t("2020-03-01"), "same first instant: the more precise wins")
        let sameDay = Incident(id: "x", title: "X", organization: "o", kinds: [.breach], events: [
            Event(type: .detection, at: t("2020-03-01"), summary: "first"), Event(type: .detection, at: t("2020-03-01"), summary: "second"),
            Event(type: .disclosure, at: t("2020-03-02")),
        ])
        #expect(measure(.timeToDisclose, sameDay)?.fromEvent.index == 0, "the first recorded")
        let earlierYear = incident([(.detection, "2020-03-05"), (.detection, "2020"), (.disclosure, "2020-03-20")])
        #expect(measure(.timeToDisclose, earlierYear)?.fromEvent.at == t("2020"), "a year starts before a day in it")
    }

    @Test("missing ends are reported with the end that exists")
    func missing() {
        let outcome = engine.measure(DelayMetric.timeToDisclose.definition, in: incident([(.disclosure, "2020-01-01")]), zone: .gmt)
        guard case .missing(let name, let from, let to) = outcome else { Issue.record("expected missing"); return }
        #expect(name == "time-to-disclose")
        #expect(from == nil)
        #expect(to?.type == .disclosure)
    }
}

/// Random EventTimes of every precision, with qualifiers, between 1990 and 2030.
private var eventTimes: Generator<EventTime, Shrink.Integer<Int>> { Gen.int(in: 0...9_999_999).map { seed -> EventTime in
    var r = seed
    func take(_ n: Int) -> Int { defer { r /= n }; return r % n }
    let year = 1990 + take(40), month = 1 + take(12)
    let day = 1 + take(CivilDate.daysInMonth(year: year, month: month))
    let hour = take(24), minute = take(60), precision = take(6)
    let qualifier: EventTime.Qualifier? = [nil, nil, nil, .approximate, .uncertain][take(5)]
    switch precision {
    case 0: return EventTime(year: year, qualifier: qualifier)
    case 1: return EventTime(year: year, month: month, qualifier: qualifier)
    case 2: return EventTime(year: year, month: month, day: day, qualifier: qualifier)
    case 3: return EventTime(year: year, month: month, day: day, hour: hour, minute: minute, qualifier: qualifier)
    case 4: return EventTime(year: year, month: month, day: day, hour: hour, minute: minute, second: take(60), utcOffset: 0, isZulu: true)
    default: return EventTime(year: year, month: month, day: day, hour: hour, minute: minute, second: 0, utcOffset: (take(27) - 12) * 3600)
    }
} }

@Suite("Delay invariants")
struct DelayPropertyTests {
    static let zones = ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Europe/London", "Australia/Lord_Howe"]

    func delay(_ a: EventTime, _ b: EventTime, _ zone: String) -> Delay {
        let i = Incident(id: "x", title: "X", organization: "o", kinds: [.breach], timezone: zone,
                         events: [Event(type: .detection, at: a), Event(type: .disclosure, at: b)])
        let engine = DelayEngine()
        return engine.measure(DelayMetric.timeToDisclose.definition, in: i, zone: engine.zone(of: i)).delay!
    }

    @Test("days_min <= days_max, and printing then parsing gives the same time")
    func ordered() async {
        await propertyCheck(count: 300, input: eventTimes, eventTimes, Gen.int(in: 0...4)) { a, b, z in
            let d = delay(a, b, Self.zones[z])
            #expect(d.days.min <= d.days.max)
            #expect(EventTime(a.description) == a)
        }
    }

    @Test("swapping the ends negates and swaps the bounds")
    func swap() async {
        await propertyCheck(count: 300, input: eventTimes, eventTimes, Gen.int(in: 0...4)) { a, b, z in
            let there = delay(a, b, Self.zones[z]), back = delay(b, a, Self.zones[z])
            #expect(back.days.min == -there.days.max)
            #expect(back.days.max == -there.days.min)
            #expect(back.seconds.map { -$0 } == there.seconds)
        }
    }

    @Test("ends precise to the day give one value")
    func dayPrecise() async {
        await propertyCheck(count: 300, input: eventTimes, eventTimes, Gen.int(in: 0...4)) { a, b, z in
            guard a.precision >= .day && b.precision >= .day else { return }
            let d = delay(a, b, Self.zones[z])
            #expect(d.days.isExact)
            #expect(!d.flags.contains(.range))
        }
    }

    @Test("hours agree with days when both ends are exact")
    func hoursAgree() async {
        await propertyCheck(count: 300, input: eventTimes, eventTimes, Gen.int(in: 0...4)) { a, b, z in
            let d = delay(a, b, Self.zones[z])
            guard let seconds = d.seconds else {
                #expect(!(a.hasTimeOfDay && b.hasTimeOfDay))
                return
            }
            // Whole days elapsed differ from the calendar-day difference by at most one (time of day)
            // plus one for a daylight-saving change between the two.
            let days = Double(seconds) / 86_400
            #expect(abs(days - Double(d.days.min)) < 2, "\(a) → \(b): \(seconds) s vs \(d.days)")
            #expect((seconds < 0) == (d.days.min < 0) || d.days.min == 0 || abs(seconds) < 2 * 86_400)
        }
    }
}

@Suite("Statistics")
struct StatisticsTests {
    @Test("quantiles interpolate linearly between ranks", arguments: [
        ([1.0, 2, 3, 4], 0.5, 2.5), ([1.0, 2, 3, 4, 5], 0.5, 3.0), ([1.0, 2, 3, 4, 5], 0.25, 2.0),
        ([0.0, 10], 0.9, 9.0), ([7.0], 0.9, 7.0), ([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9.1),
    ])
    func quantiles(_ values: [Double], _ q: Double, _ expected: Double) {
        #expect(abs(DelaySummary.quantile(values, q) - expected) < 1e-9)
    }

    @Test("a range counts as its midpoint, and is counted")
    func midpoints() throws {
        let s = try #require(DelaySummary(group: "all", metric: "m", delays: [DayDelay(min: 386, max: 416), DayDelay(min: 11, max: 11), DayDelay(min: -2, max: -2)]))
        #expect(s.count == 3)
        #expect(s.median == 11)
        #expect(s.max == 401)
        #expect(s.min == -2)
        #expect(s.ranges == 1)
        #expect(s.negative == 1)
        #expect(DelaySummary(group: "all", metric: "m", delays: []) == nil)
    }
}

@Suite("Consistency checks")
struct ConsistencyTests {
    func codes(_ i: Incident) -> [String] {
        ConsistencyChecker.check(i, engine: DelayEngine()).map(\.code)
    }

    @Test("impossible orders are errors")
    func order() {
        let i = incident([(.intrusion, "2020-01-10"), (.detection, "2020-01-05"), (.disclosure, "2020-01-01"),
                          (.outageStart, "2020-01-03T10:00"), (.outageEnd, "2020-01-03T09:00")])
        let findings = ConsistencyChecker.check(i, engine: DelayEngine())
        let errors = findings.filter { $0.severity == .error }.map(\.message)
        #expect(errors.contains { $0.hasPrefix("disclosure 2020-01-01 comes before detection 2020-01-05") })
        #expect(errors.contains { $0.hasPrefix("outage_end 2020-01-03T09:00 comes before outage_start 2020-01-03T10:00") })
        #expect(errors.contains { $0.hasPrefix("detection 2020-01-05 comes before intrusion 2020-01-10") })
        #expect(findings.contains { $0.code == "negative-delay" })
    }

    @Test("overlapping partial dates are not called impossible")
    func overlap() {
        #expect(codes(incident([(.detection, "2020-03-15"), (.disclosure, "2020-03")])) == ["never-acting"])
    }

    @Test("a disclosure with no detection misses the milestone time-to-disclose needs")
    func missingMilestone() {
        let findings = ConsistencyChecker.check(incident([(.intrusion, "2020-01-01"), (.disclosure, "2020-02-01")]), engine: DelayEngine())
        #expect(findings.map(\.code) == ["missing-milestone", "never-acting"])
        #expect(findings[0].message.contains("time-to-disclose"))
        #expect(codes(incident([(.detection, "2020-01-01")])) == ["never-acting"], "no disclosure yet is not a finding")
    }

    @Test("duplicates and an organization that never acts")
    func duplicatesAndActing() {
        var i = incident([(.detection, "2020-01-01"), (.detection, "2020-01-01")])
        #expect(codes(i).contains("duplicate-event"))
        i.events = [Event(type: .detection, at: t("2020-01-01"), party: "ceo")]
        #expect(codes(i) == ["never-acting"])
        let acts = ConsistencyChecker.check(i, engine: DelayEngine(), actsFor: { $0 == "ceo" ? ["ceo", "o"] : [$0] })
        #expect(acts.isEmpty, "the company's people act for it")
    }
}
