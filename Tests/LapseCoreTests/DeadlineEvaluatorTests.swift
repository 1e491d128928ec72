import Foundation
import Testing
@testable import LapseCore

private func t(_ s: String) -> EventTime { EventTime(s)! }
private let utc = TimeZone(identifier: "UTC")!
/// An instant written with an offset, as seconds since 1970.
private func instant(_ s: String) -> Int { t(s).firstInstant(in: utc) }

private func incident(_ events: [(EventType, String)], zone: String? = nil, jurisdictions: [String] = ["EU"],
                      kinds: [IncidentKind] = [.breach], tags: [String] = [], records: Int? = nil) -> Incident {
    Incident(id: "x", title: "X", organization: "o", kinds: kinds, recordsAffected: records, timezone: zone,
             jurisdictions: jurisdictions, tags: tags, events: events.map { Event(type: $0.0, at: t($0.1)) })
}

private let book = RuleBook.bundled
private let later = instant("2030-01-01T00:00:00Z")

private func check(_ id: String, _ i: Incident, now: Int = later) throws -> DeadlineResult {
    let rule = try #require(book.rule(id: id))
    return try #require(DeadlineEvaluator.evaluate(incident: i, organization: nil, rules: [rule], now: now).first)
}

@Suite("Deadline evaluator")
struct DeadlineEvaluatorTests {
    @Test("GDPR's 72 hours are elapsed UTC hours across clock changes and weekends", arguments: [
        // Berlin springs forward on 2024-03-31: 72 h after Friday 10:00 CET is Monday 11:00 CEST.
        ("2024-03-29T10:00", "2024-04-01T10:30", DeadlineStatus.met, "2024-04-01T09:00:00Z"),
        ("2024-03-29T10:00", "2024-04-01T11:30", .missed, "2024-04-01T09:00:00Z"),
        // Berlin falls back on 2024-10-27: 72 h after Friday 12:00 CEST is Monday 11:00 CET.
        ("2024-10-25T12:00", "2024-10-28T10:59", .met, "2024-10-28T10:00:00Z"),
        ("2024-10-25T12:00", "2024-10-28T11:30", .missed, "2024-10-28T10:00:00Z"),
        // A Saturday and a Sunday count like any other day.
        ("2024-06-07T18:00", "2024-06-10T17:59", .met, "2024-06-10T16:00:00Z"),
        ("2024-06-07T18:00", "2024-06-11T09:00", .missed, "2024-06-10T16:00:00Z"),
    ])
    func gdprHours(detected: String, notified: String, status: DeadlineStatus, due: String) throws {
        let r = try check("eu-gdpr-33", incident([(.detection, detected), (.regulatorNotification, notified)], zone: "Europe/Berlin"))
        #expect(r.status == status)
        #expect(r.due?.lowerText == due)
        #expect(r.due?.isExact == true)
    }

    @Test("lateness in exact hours")
    func lateHours() throws {
        let r = try check("eu-gdpr-33", incident([(.detection, "2024-10-25T12:00"), (.regulatorNotification, "2024-10-28T11:30")], zone: "Europe/Berlin"))
        #expect(r.lateByHours == 0.5)
        #expect(r.lateByDays == nil)
    }

    @Test("partial dates: a verdict only when every reading agrees", arguments: [
        ("2024-06-03", "2024-06-05", DeadlineStatus.met),
        ("2024-06-03", "2024-06-06", .uncertain),
        ("2024-06-03", "2024-06-08", .missed),
        ("2024-06", "2024-06-20", .uncertain),
    ])
    func partialHours(detected: String, notified: String, status: DeadlineStatus) throws {
        let r = try check("eu-gdpr-33", incident([(.detection, detected), (.regulatorNotification, notified)]))
        #expect(r.status == status)
    }

    @Test("an uncertain day clock gives the range of due dates and of lateness")
    func partialDays() throws {
        let tagged = ["hipaa-covered-entity"]
        let i = incident([(.detection, "2024-05"), (.customerNotification, "2024-07-15")], jurisdictions: ["US"], tags: tagged)
        let r = try check("us-hipaa-individuals", i)
        #expect(r.status == .uncertain)
        #expect(r.due == DueRange(lower: CivilDate.daysFromCivil(year: 2024, month: 6, day: 30),
                                  upper: CivilDate.daysFromCivil(year: 2024, month: 7, day: 30), inDays: true))
        let late = try check("us-hipaa-individuals", incident([(.detection, "2024-05"), (.customerNotification, "2024-08-01")], jurisdictions: ["US"], tags: tagged))
        #expect(late.status == .missed)
        #expect(late.lateByDays == 2)
        #expect(late.lateByDaysMax == 32)
    }

    @Test("DORA's initial notification: the earlier of 4 h after classification and 24 h after awareness", arguments: [
        ("2025-03-03T10:00:00Z", "2025-03-03T14:00:00Z"),  // classified soon: 4 h after classification
        ("2025-03-04T06:00:00Z", "2025-03-04T08:00:00Z"),  // classified late on day one: 24 h after awareness
        ("2025-03-05T09:00:00Z", "2025-03-05T13:00:00Z"),  // classified after 24 h: 4 h after classification
    ])
    func doraInitial(classified: String, due: String) throws {
        let i = incident([(.detection, "2025-03-03T08:00:00Z"), (.determination, classified)])
        let r = try check("eu-dora-initial", i, now: instant("2025-03-03T09:00:00Z"))
        #expect(r.due?.lowerText == due)
        #expect(r.status == .open)
    }

    @Test("DORA's later stages run from the actual submissions")
    func doraChain() throws {
        let i = incident([(.detection, "2025-03-03T08:00:00Z"), (.determination, "2025-03-03T10:00:00Z"),
                          (.regulatorNotification, "2025-03-03T13:00:00Z"), (.regulatorNotification, "2025-03-06T15:00:00Z"),
                          (.regulatorNotification, "2025-04-06")])
        let initial = try check("eu-dora-initial", i)
        #expect(initial.status == .met)
        let intermediate = try check("eu-dora-intermediate", i)
        #expect(intermediate.clockStart?.at == t("2025-03-03T13:00:00Z"))
        #expect(intermediate.due?.lowerText == "2025-03-06T13:00:00Z")
        #expect(intermediate.satisfiedBy?.at == t("2025-03-06T15:00:00Z"))
        #expect(intermediate.status == .missed)
        #expect(intermediate.lateByHours == 2)
        let final = try check("eu-dora-final", i)
        #expect(final.clockStart?.at == t("2025-03-06T15:00:00Z"))
        #expect(final.due?.lowerText == "2025-04-06")
        #expect(final.status == .met)
        let unsent = try check("eu-dora-intermediate", incident([(.detection, "2025-03-03T08:00:00Z"), (.determination, "2025-03-03T10:00:00Z")]))
        #expect(unsent.status == .notStarted, "no initial submission, no intermediate clock")
    }

    @Test("NIS2: one regulator notification inside 24 hours meets the early warning and leaves the 72-hour notification unknown, never missed")
    func nis2SingleNotice() throws {
        let i = incident([(.detection, "2025-02-03T08:00:00Z"), (.regulatorNotification, "2025-02-03T20:00:00Z")], tags: ["nis2-essential"])
        #expect(try check("eu-nis2-ew", i).status == .met)
        let notification = try check("eu-nis2-notif", i)
        #expect(notification.status == .unknown)
        #expect(notification.lateByHours == nil)
        #expect(notification.notes.first?.contains("the only regulator_notification (2025-02-03T20:00:00Z) is counted as the submission for eu-nis2-ew") == true,
                "\(notification.notes)")
        // A second notice after the early warning is the notification, judged as usual.
        let two = incident([(.detection, "2025-02-03T08:00:00Z"), (.regulatorNotification, "2025-02-03T20:00:00Z"),
                            (.regulatorNotification, "2025-02-07T08:00:00Z")], tags: ["nis2-essential"])
        let late = try check("eu-nis2-notif", two)
        #expect(late.status == .missed)
        #expect(late.lateByHours == 24)
    }

    @Test("Washington: residents and the Attorney General, 45 days from 2015-07-24, 30 from 2020-03-01, not in force before", arguments: [
        ("2020-03-01", "2020-03-31", "met", "2020-03-31"), ("2020-03-01", "2020-04-01", "missed", "2020-03-31"),
        ("2020-02-29", "2020-04-14", "met", "2020-04-14"), ("2015-07-24", "2015-09-08", "missed", "2015-09-07"),
        ("2015-07-23", "2015-07-30", "not_in_force", "2015-08-22"),
    ])
    func washington(discovered: String, noticed: String, status: String, due: String) throws {
        for (rule, type) in [("us-wa-19.255", EventType.customerNotification), ("us-wa-19.255-ag", .regulatorNotification)] {
            let i = incident([(.detection, discovered), (type, noticed)], jurisdictions: ["US-WA"], records: 501)
            let r = try check(rule, i)
            #expect(r.status.rawValue == status, "\(rule)")
            #expect(r.due?.lowerText == due, "\(rule)")
        }
        // The AG notice does not satisfy the residents' clock, nor the other way round.
        let agOnly = incident([(.detection, "2021-01-04"), (.regulatorNotification, "2021-01-10")], jurisdictions: ["US-WA"], records: 501)
        #expect(try check("us-wa-19.255", agOnly).status == .unknown)
        #expect(DeadlineEvaluator.exclusion(try #require(book.rule(id: "us-wa-19.255-ag")),
                                            incident([], jurisdictions: ["US-WA"], records: 500), nil) != nil, "500 residents are not more than 500")
    }

    @Test("a notice the data shows went to an authority outside the rule's jurisdictions does not satisfy it")
    func recipients() throws {
        let hhs = Party(id: "hhs", name: "U.S. Department of Health and Human Services", kind: .agency, country: "US")
        let waAG = Party(id: "wa-ag", name: "Washington State Attorney General", kind: .regulator, country: "US-WA")
        let acme = Party(id: "acme", name: "Acme", kind: .organization, country: "US")
        let recipients = Dictionary(uniqueKeysWithValues: [hhs, waAG, acme].map { ($0.id, $0) })
        let rule = try #require(book.rule(id: "us-wa-19.255-ag"))
        func verdict(_ party: String?) throws -> DeadlineResult {
            let i = Incident(id: "x", title: "X", organization: "acme", kinds: [.breach], recordsAffected: 900, jurisdictions: ["US-WA"],
                             events: [Event(type: .detection, at: t("2024-01-02")), Event(type: .regulatorNotification, at: t("2024-01-10"), party: party)])
            return try #require(DeadlineEvaluator.evaluate(incident: i, organization: acme, rules: [rule], now: later, recipients: recipients).first)
        }
        #expect(try verdict("hhs").status == .unknown, "a notice to HHS is not a notice to the Washington Attorney General")
        #expect(try verdict("wa-ag").status == .met)
        #expect(try verdict("acme").status == .met, "the party is the sender: who received it is not said")
        #expect(try verdict(nil).status == .met)
    }

    @Test("PSN 2011 against GDPR: not in force, and what the verdict would be today")
    func psnNotInForce() throws {
        let psn = incident([(.detection, "2011-04-19T16:15"), (.regulatorNotification, "2011-04-26")], zone: "America/Los_Angeles")
        let r = try check("eu-gdpr-33", psn)
        #expect(r.status == .notInForce)
        #expect(r.wouldBe == .missed)
        #expect(r.due?.lowerText == "2011-04-22T23:15:00Z")
        #expect(r.lateByHours == 79.75)
        #expect(r.lateByHoursMax == 103.75)
        #expect(r.notes.contains { $0.contains("not in force on 2011-04-19") && $0.contains("2018-05-25") })
        let circia = try check("us-circia", incident([(.detection, "2025-01-01T00:00:00Z")], jurisdictions: ["US"]), now: instant("2025-01-01T01:00:00Z"))
        #expect(circia.status == .notInForce, "a proposed rule is never in force")
        #expect(circia.wouldBe == .open)
    }

    @Test("an earlier version of a rule applies to clocks that started under it", arguments: [
        ("2025-06-01", DeadlineStatus.noFixedDeadline, nil as String?),
        ("2026-02-01", .met, "2026-03-03"),
        ("2002-01-01", .notInForce, "2002-01-31"),
    ])
    func versions(discovered: String, status: DeadlineStatus, due: String?) throws {
        let i = incident([(.detection, discovered), (.customerNotification, "2026-02-20")], jurisdictions: ["US-CA"])
        let r = try check("us-ca-1798.82", i)
        #expect(r.status == status)
        #expect(r.due?.lowerText == due)
    }

    @Test("open clocks count the time left from the given now; with none left and nothing recorded, unknown (missed when counting to now)")
    func open() throws {
        let i = incident([(.detection, "2024-06-03T08:00:00Z")])
        let early = try check("eu-gdpr-33", i, now: instant("2024-06-03T18:00:00Z"))
        #expect(early.status == .open)
        #expect(early.hoursLeft == 62)
        let late = try check("eu-gdpr-33", i, now: instant("2024-06-07T08:00:00Z"))
        #expect(late.status == .unknown)
        #expect(late.lateByHours == nil, "lateness is never counted to today by default")
        #expect(late.notes.first == "no regulator_notification recorded")
        #expect(late.satisfiedBy == nil)
        let gdpr = try #require(book.rule(id: "eu-gdpr-33"))
        let counted = try #require(DeadlineEvaluator.evaluate(incident: i, organization: nil, rules: [gdpr],
                                                              now: instant("2024-06-07T08:00:00Z"), countAbsentToNow: true).first)
        #expect(counted.status == .missed)
        #expect(counted.lateByHours == 24)
        let none = try check("eu-gdpr-33", incident([(.intrusion, "2024-06-01")]))
        #expect(none.status == .notStarted)
    }

    @Test("a closed incident holds every notice given: an absent one is missed, late up to the close, never to now; open, it stays unknown")
    func closedIncident() throws {
        // Washington residents, discovered 2021-01-04: due 30 days later, 2021-02-03.
        var i = incident([(.detection, "2021-01-04"), (.regulatorNotification, "2021-01-10")], jurisdictions: ["US-WA"], records: 900)
        let open = try check("us-wa-19.255", i)
        #expect(open.status == .unknown)
        #expect(open.lateByDays == nil)
        #expect(open.notes.first == "no customer_notification recorded")

        i.closed = t("2021-03-01")
        let closed = try check("us-wa-19.255", i)
        #expect(closed.status == .missed)
        #expect(closed.due?.lowerText == "2021-02-03")
        #expect(closed.lateByDays == 26, "from the due day, 2021-02-03, to the close, 2021-03-01: not to now (2030)")
        #expect(closed.lateByDaysMax == 26)
        #expect(closed.notes.first == "no customer_notification recorded by the close on 2021-03-01; lateness counted to the close")
        #expect(try check("us-wa-19.255-ag", i).status == .met, "a recorded notice is judged as before")
        // Counting to now does not override the close.
        let rule = try #require(book.rule(id: "us-wa-19.255"))
        let counted = try #require(DeadlineEvaluator.evaluate(incident: i, organization: nil, rules: [rule], now: later, countAbsentToNow: true).first)
        #expect(counted.lateByDays == 26)

        // A month-precise close gives the range of lateness over its days.
        i.closed = t("2021-03")
        let month = try check("us-wa-19.255", i)
        #expect(month.status == .missed)
        #expect(month.lateByDays == 26 && month.lateByDaysMax == 56)

        // Closed before the notice fell due: never given, so missed, without a lateness.
        i.closed = t("2021-01-20")
        let early = try check("us-wa-19.255", i, now: instant("2021-01-21T00:00:00Z"))
        #expect(early.status == .missed, "not open: the closed record says no notice will come")
        #expect(early.lateBy == nil)
        #expect(early.notes.first == "no customer_notification recorded by the close on 2021-01-20, before the notice was due")

        // Hour clocks count hours to the close.
        let gdpr = incident([(.detection, "2024-06-03T08:00:00Z")])
        var closedGDPR = gdpr
        closedGDPR.closed = t("2024-06-07T08:00:00Z")
        let hours = try check("eu-gdpr-33", closedGDPR)
        #expect(hours.status == .missed)
        #expect(hours.lateByHours == 24)
        #expect(try check("eu-gdpr-33", gdpr).status == .unknown)
    }

    @Test("SEC: a filing after 17:30 Eastern counts on the next business day", arguments: [
        ("2024-03-08T17:00", DeadlineStatus.met), ("2024-03-08T17:45", .missed), ("2024-03-08T22:45:00Z", .missed),
        ("2024-03-08", .met),
    ])
    func secCutoff(filed: String, status: DeadlineStatus) throws {
        let i = incident([(.determination, "2024-03-04"), (.filing, filed)], zone: "America/New_York", jurisdictions: ["US"], tags: ["sec-registrant"])
        let r = try check("us-sec-8k-105", i)
        #expect(r.due?.lowerText == "2024-03-08")
        #expect(r.status == status)
    }

    @Test("the year-end rule in a leap year")
    func hhsSmall() throws {
        let i = incident([(.detection, "2023-08-10"), (.regulatorNotification, "2024-02-29")], jurisdictions: ["US"], tags: ["hipaa-covered-entity"], records: 120)
        #expect(try check("us-hipaa-hhs-small", i).status == .met)
        let j = incident([(.detection, "2023-08-10"), (.regulatorNotification, "2024-03-01")], jurisdictions: ["US"], tags: ["hipaa-covered-entity"], records: 120)
        let r = try check("us-hipaa-hhs-small", j)
        #expect(r.status == .missed)
        #expect(r.lateByDays == 1)
    }

    @Test("scope: jurisdictions, kinds, tags and records", arguments: [
        ("eu-gdpr-33", ["DE"], [IncidentKind.breach], [String](), nil as Int?, true),
        ("eu-gdpr-33", ["US"], [.breach], [], nil, false),
        ("eu-gdpr-33", ["EU"], [.outage], [], nil, false),
        ("in-certin", ["IN"], [.outage], [], nil, true),
        ("us-ca-1798.82", ["US"], [.breach], [], nil, false),
        ("us-ca-1798.82", ["US-CA"], [.breach], [], nil, true),
        ("us-sec-8k-105", ["US-CA"], [.breach], ["sec-registrant"], nil, true),
        ("us-sec-8k-105", ["US"], [.breach], [], nil, false),
        ("us-hipaa-hhs-500", ["US"], [.breach], ["hipaa-covered-entity"], 500, true),
        ("us-hipaa-hhs-500", ["US"], [.breach], ["hipaa-covered-entity"], 499, false),
        ("us-hipaa-hhs-500", ["US"], [.breach], ["hipaa-covered-entity"], nil, false),
        ("us-hipaa-hhs-small", ["US"], [.breach], ["hipaa-covered-entity"], 499, true),
        ("us-hipaa-hhs-small", ["US"], [.breach], ["hipaa-covered-entity"], 500, false),
        ("cn-cac-2025", ["CN"], [.outage], [], nil, true),
        ("cn-cac-2025", ["CN"], [.outage], ["cii-operator"], nil, false),
        ("cn-cac-2025-cii", ["CN"], [.outage], ["cii-operator"], nil, true),
    ])
    func scope(id: String, jurisdictions: [String], kinds: [IncidentKind], tags: [String], records: Int?, applies: Bool) throws {
        let i = incident([(.detection, "2025-12-01")], jurisdictions: jurisdictions, kinds: kinds, tags: tags, records: records)
        let all = DeadlineEvaluator.evaluate(incident: i, organization: nil, now: later)
        let r = try #require(all.first { $0.rule.id == id })
        #expect((r.status != .notApplicable) == applies, "\(r.notes)")
        #expect(all.count == book.rules.count)
    }

    @Test("a named rule is checked even outside its scope, with a note")
    func namedOutsideScope() throws {
        let r = try check("us-sec-8k-105", incident([(.determination, "2024-03-04"), (.filing, "2024-03-07")], jurisdictions: ["US"]))
        #expect(r.status == .met)
        #expect(r.notes.first?.contains("sec-registrant") == true)
    }

    @Test("a sector condition reads the organization's sector")
    func sectors() {
        let scope = RuleScope(sectors: ["health"])
        let i = incident([])
        #expect(scope.exclusion(of: i, organization: Party(id: "o", name: "O", kind: .organization, sector: "Health care")) == nil)
        #expect(scope.exclusion(of: i, organization: Party(id: "o", name: "O", kind: .organization, sector: "Retail")) != nil)
    }

    @Test("jurisdiction codes", arguments: [
        ("EU", "DE", true), ("EU", "EU", true), ("EU", "UK", false), ("US", "US-CA", true), ("US-CA", "US", false),
        ("UK", "UK", true), ("US", "USA", false),
    ])
    func jurisdictions(rule: String, incident: String, covers: Bool) {
        #expect(Jurisdiction.covers(rule, incident) == covers)
    }
}
