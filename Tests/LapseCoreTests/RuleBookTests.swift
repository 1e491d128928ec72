import Foundation
import Testing
@testable import LapseCore

@Suite("Rule book")
struct RuleBookTests {
    @Test("the bundled rules cover the issue's ids, each with a source and a confidence")
    func bundled() throws {
        let book = RuleBook.bundled
        let required = ["eu-gdpr-33", "eu-gdpr-34", "uk-gdpr-33", "eu-nis2-ew", "eu-nis2-notif", "eu-nis2-final",
                        "eu-dora-initial", "eu-dora-intermediate", "eu-dora-final", "us-sec-8k-105", "us-hipaa-individuals",
                        "us-hipaa-hhs-500", "us-hipaa-hhs-small", "us-hipaa-media", "us-nydfs-500.17", "us-glba-ftc",
                        "us-ftc-hbnr", "us-ca-1798.82", "us-tx-521", "us-co-6-1-716", "us-fl-501.171", "us-wa-19.255",
                        "us-ny-899aa", "us-circia", "au-ndb", "ca-pipeda", "sg-pdpa", "in-certin", "jp-appi", "br-lgpd",
                        "kr-pipa", "cn-cac-2025"]
        for id in required { #expect(book.rule(id: id) != nil, "missing rule \(id)") }
        for rule in book.rules {
            #expect(rule.source.url.hasPrefix("https://") || rule.source.url.hasPrefix("http://"), "\(rule.id) has no source URL")
            #expect(!rule.satisfiedBy.isEmpty, "\(rule.id) names no satisfying event")
            #expect(rule.duration != nil || rule.standard != nil)
        }
        #expect(Set(book.families.values) == ["eu", "uk", "us-federal", "us-states", "asia-pacific", "americas"])
    }

    @Test("the reference facts of regulations.md", arguments: [
        ("eu-gdpr-33", 72, DeadlineUnit.hours, "2018-05-25"), ("eu-nis2-ew", 24, .hours, "2024-10-18"),
        ("eu-nis2-final", 1, .calendarMonths, "2024-10-18"), ("eu-dora-initial", 4, .hours, "2025-01-17"),
        ("us-sec-8k-105", 4, .businessDays, "2023-12-18"), ("us-hipaa-hhs-small", 60, .daysAfterYearEnd, "2009-09-23"),
        ("us-glba-ftc", 30, .calendarDays, "2024-05-13"), ("sg-pdpa", 3, .calendarDays, "2021-02-01"),
        ("in-certin", 6, .hours, "2022-06-28"), ("br-lgpd", 3, .businessDays, "2024-04-26"), ("kr-pipa", 72, .hours, "2023-09-15"),
        ("cn-cac-2025", 4, .hours, "2025-11-01"), ("us-nydfs-500.17", 72, .hours, "2017-08-28"),
    ])
    func facts(id: String, amount: Int, unit: DeadlineUnit, from: String) throws {
        let rule = try #require(RuleBook.bundled.rule(id: id))
        #expect(rule.duration?.amount == amount)
        #expect(rule.duration?.unit == unit)
        #expect(rule.effectiveFrom == from)
    }

    func family(_ rules: String) -> Data {
        Data(#"{"format": "lapse-rules/1", "family": "test", "title": "Test", "rules": [\#(rules)]}"#.utf8)
    }

    let valid = #"{"id": "a", "instrument": "A", "title": "A", "jurisdictions": ["EU"], "notify": "x", "start": {"earliestOf": ["detection"]}, "satisfiedBy": ["regulator_notification"], "duration": {"amount": 1, "unit": "hours"}, "effectiveFrom": "2020-01-01", "source": {"citation": "A", "url": "https://a"}, "confidence": "P"}"#

    @Test("bad rule data says what was expected", arguments: [
        (#""duration": {"amount": 1, "unit": "hours"}"#, #""duration": {"amount": 3, "unit": "businessDays"}"#, "need a \"calendar\""),
        (#""duration": {"amount": 1, "unit": "hours"}"#, #""standard": null"#, "needs a \"duration\""),
        (#""unit": "hours""#, #""unit": "fortnights""#, "expected one of: hours"),
        (#""confidence": "P""#, #""confidence": "maybe""#, "expected one of: P"),
        (#""effectiveFrom": "2020-01-01""#, #""effectiveFrom": "2020-02-30""#, "expected YYYY-MM-DD"),
        (#""start": {"earliestOf": ["detection"]}"#, #""start": {"at": "detection"}"#, "submissionOf"),
    ])
    func badData(original: String, replacement: String, message: String) throws {
        let text = valid.replacingOccurrences(of: original, with: replacement)
        #expect(text != valid)
        do {
            _ = try RuleBook.decode(family(text))
            Issue.record("decoded bad rule data: \(replacement)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
        #expect(try RuleBook.decode(family(valid)).rules.count == 1)
    }

    @Test("ids are unique across files and stages must exist")
    func consistency() throws {
        let one = try RuleBook.decode(family(valid))
        #expect(throws: RuleBookError.self) { try RuleBook(families: [one, one]) }
        let chained = try RuleBook.decode(family(valid.replacingOccurrences(of: #"{"earliestOf": ["detection"]}"#, with: #"{"submissionOf": "nope"}"#)))
        do {
            _ = try RuleBook(families: [chained])
            Issue.record("accepted a chain to a missing stage")
        } catch {
            #expect("\(error)".contains("nope"))
        }
    }

    @Test("further clocks must count like the main one")
    func mixedClocks() throws {
        let mixed = valid.replacingOccurrences(of: #""duration": {"amount": 1, "unit": "hours"}"#,
            with: #""duration": {"amount": 1, "unit": "hours"}, "alsoDue": [{"start": {"earliestOf": ["intrusion"]}, "duration": {"amount": 2, "unit": "calendarDays"}}]"#)
        #expect(mixed != valid)
        do {
            _ = try RuleBook(families: [try RuleBook.decode(family(mixed))])
            Issue.record("accepted an hour clock with a day clock beside it")
        } catch {
            #expect("\(error)".contains("alsoDue"))
        }
    }

    @Test("rules by jurisdiction: a country lists its states' rules, a state its country's")
    func byJurisdiction() {
        let book = RuleBook.bundled
        let us = Set(book.rules(inJurisdiction: "US").map(\.id))
        #expect(us.contains("us-sec-8k-105") && us.contains("us-ca-1798.82"))
        #expect(!us.contains("eu-gdpr-33"))
        let ca = Set(book.rules(inJurisdiction: "us-ca").map(\.id))
        #expect(ca.contains("us-ca-1798.82") && ca.contains("us-sec-8k-105") && !ca.contains("us-tx-521"))
        #expect(Set(book.rules(inJurisdiction: "DE").map(\.id)).contains("eu-gdpr-33"))
    }
}
