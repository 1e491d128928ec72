import Foundation
import Testing
@testable import LapseCore

@Suite("Model and validation")
struct ModelTests {
    func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test("a lapse/1 document decodes with every field")
    func decodesDocument() throws {
        let doc = try JSONDecoder().decode(LapseDocument.self, from: fixture("minimal.json"))
        #expect(doc.parties.map(\.id) == ["sony", "sony-computer-entertainment", "kazuo-hirai"])
        #expect(doc.parties[1].parent == "sony")
        #expect(doc.parties[1].aliases == ["SCE", "PlayStation"])
        let psn = try #require(doc.incidents.first)
        #expect(psn.kinds == [.breach, .outage])
        #expect(psn.recordsAffected == 77_000_000)
        #expect(psn.events.count == 3)
        let apology = try #require(psn.events.first { $0.type == .apology })
        #expect(apology.statement?.audience == .public)
        #expect(apology.sources.first?.publisher == "Daily Mail Online")
        #expect(Validator.check(psn).problems.isEmpty)
    }

    @Test("decoding errors carry the JSON path of the field", arguments: [
        (#"{"format":"lapse/1","incidents":[{"id":"a","title":"t","organization":"o","kinds":["breach"],"events":[{"type":"outage","at":"2011"}]}]}"#, "incidents[0].events[0].type", "not a known event type"),
        (#"{"format":"lapse/1","incidents":[{"id":"a","title":"t","organization":"o","kinds":["flood"]}]}"#, "incidents[0].kinds[0]", "not a known incident kind"),
        (#"{"format":"lapse/1","incidents":[{"id":"a","organization":"o","kinds":["breach"]}]}"#, "incidents[0].title", "missing"),
        (#"{"format":"lapse/1","parties":[{"id":"a","name":"A","kind":"company"}]}"#, "parties[0].kind", "not a known party kind"),
        (#"{"format":"lapse/1","incidents":[{"id":"a","title":"t","organization":"o","kinds":["breach"],"records_affected":"many"}]}"#, "incidents[0].records_affected", "whole number"),
        (#"{"format":"lapse/2"}"#, "format", "lapse/1"),
        (#"{"format":"lapse/1","incidents":[{"id":"a","title":"t","organization":"o","kinds":["breach"],"closed":"2024-02-30"}]}"#, "incidents[0].closed", "2024-02-30"),
    ])
    func decodingPaths(_ json: String, _ path: String, _ message: String) {
        do {
            _ = try JSONDecoder().decode(LapseDocument.self, from: Data(json.utf8))
            Issue.record("expected a decoding error")
        } catch let error as DecodingError {
            let problem = error.problem(file: "x.json")
            #expect(problem.path == path)
            #expect(problem.description.contains(message), "\(problem)")
            #expect(problem.description.hasPrefix("x.json: \(path): "))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("slugs", arguments: [("psn-2011", true), ("a.b_c-1", true), ("0day", true), ("PSN", false), ("-x", false), ("", false), ("a b", false), ("é", false)])
    func slugs(_ id: String, _ ok: Bool) {
        #expect(Validator.isSlug(id) == ok)
    }

    @Test("incident checks name the field")
    func incidentChecks() throws {
        var incident = Incident(id: "Bad Id", title: " ", organization: "o", kinds: [], recordsAffected: -1, timezone: "Mars/Olympus")
        incident.events = [
            Event(id: "e1", type: .detection, at: try EventTime(parsing: "2011-04-20")),
            Event(id: "e1", type: .intrusion, at: try EventTime(parsing: "2011-04-20"), until: try EventTime(parsing: "2011-04-19")),
        ]
        let paths = Set(Validator.check(incident).problems.map(\.path))
        #expect(paths == ["id", "title", "kinds", "records_affected", "timezone", "events[1].id", "events[1].until"])
    }

    @Test("closed: an EventTime that round-trips as written, absent while open, never before the first event")
    func closed() throws {
        let json = #"{"format":"lapse/1","incidents":[{"id":"a","title":"t","organization":"o","kinds":["breach"],"closed":"2024-03~","events":[{"type":"detection","at":"2024-01-05"}]}]}"#
        let incident = try #require(try JSONDecoder().decode(LapseDocument.self, from: Data(json.utf8)).incidents.first)
        #expect(incident.closed?.description == "2024-03~")
        #expect(Validator.check(incident).problems.isEmpty)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(incident), as: UTF8.self).contains(#""closed":"2024-03~""#))
        var open = incident
        open.closed = nil
        #expect(!String(decoding: try encoder.encode(open), as: UTF8.self).contains("closed"), "an open incident writes no key")
        var early = incident
        early.closed = try EventTime(parsing: "2023-12-31")
        let problems = Validator.check(early).problems
        #expect(problems.map(\.path) == ["closed"])
        #expect(problems.first?.message.contains("before the incident's first event (2024-01-05)") == true, "\(problems)")
        early.closed = try EventTime(parsing: "2024-01-05")
        #expect(Validator.check(early).problems.isEmpty, "closed the day it began")
    }

    @Test("references are reported with their paths")
    func references() {
        let incident = Incident(id: "a", title: "A", organization: "acme", kinds: [.outage],
                                events: [Event(type: .statement, at: EventTime(year: 2020), party: "jane")])
        let refs = Validator.check(incident).references
        #expect(refs == [PartyReference(partyID: "acme", path: "organization"), PartyReference(partyID: "jane", path: "events[0].party")])
        let party = Party(id: "x", name: "X", kind: .organization, parent: "x")
        #expect(Validator.check(party).problems.map(\.path) == ["parent"])
    }

    @Test("company terms cover the name, its words and aliases, ignoring case")
    func companyTerms() {
        let terms = CompanyMatch.terms(name: "Sony Computer Entertainment", aliases: ["SCE", "PlayStation Network"])
        #expect(terms.isSuperset(of: ["sony computer entertainment", "sony", "computer", "entertainment", "sce", "playstation network", "playstation"]))
        #expect(CompanyMatch.normalize("  SONY   Computer ") == "sony computer")
        #expect(CompanyMatch.terms(name: "Équifax Inc.", aliases: []).contains("équifax"))
        #expect(!CompanyMatch.terms(name: "Équifax Inc.", aliases: []).contains("inc"), "a legal form alone identifies no company")
        #expect(CompanyMatch.terms(name: "Équifax Inc.", aliases: []).contains("équifax inc."), "the whole name still matches")
        #expect(CompanyMatch.terms(id: "equifax", name: "Équifax Inc.", aliases: []).contains("equifax"))
    }
}

@Suite("Company names")
struct CompanyMatchTests {
    @Test("a query ranks a party: exact id > exact name or alias > normalised name > phrase", arguments: [
        ("t-mobile-usa", "T-Mobile USA", CompanyMatch.Rank.exactID), ("t-mobile usa", "T-Mobile USA", .exactName),
        ("T-Mobile USA, Inc.", "T-Mobile USA", .normalizedName), ("tmobile usa", "T-Mobile USA", .normalizedName),
        ("T Mobile", "T-Mobile USA", .word), ("t-mobile us, inc.", "T-Mobile USA", .word),
        ("Uber Technologies", "Uber Technologies, Inc.", .normalizedName), ("uber", "Uber Technologies, Inc.", .word),
        ("equifax inc", "Equifax, Inc.", .normalizedName), ("Equifax", "Équifax Inc.", .normalizedName),
        ("mcdonalds", "McDonald's Corporation", .normalizedName), ("the home depot", "Home Depot, Inc.", .normalizedName),
    ])
    func ranks(query: String, name: String, rank: CompanyMatch.Rank) {
        #expect(CompanyMatch.rank(query: query, id: "t-mobile-usa", name: name, aliases: []) == rank)
    }

    @Test("no match: a word must be whole, a phrase in order, and legal forms alone match nothing", arguments: [
        ("son", "Sony Corporation"), ("mobile t", "T-Mobile USA"), ("inc", "Acme, Inc."), ("group of", "Bank of America Group"),
        ("technologies uber", "Uber Technologies"), ("health", "Healthcare Partners"),
    ])
    func misses(query: String, name: String) {
        #expect(CompanyMatch.rank(query: query, id: "x", name: name, aliases: []) == nil)
    }

    @Test("aliases match as names do; the best rank wins")
    func aliases() {
        #expect(CompanyMatch.rank(query: "PSN", id: "sce", name: "Sony Interactive Entertainment", aliases: ["PSN", "PlayStation Network"]) == .exactName)
        #expect(CompanyMatch.rank(query: "playstation", id: "sce", name: "Sony Interactive Entertainment", aliases: ["PlayStation Network"]) == .word)
        let parties = [Party(id: "humana", name: "Humana", kind: .organization), Party(id: "humana-inc", name: "Humana, Inc.", kind: .organization),
                       Party(id: "humana-welltok", name: "Humana, Inc. (Welltok, Inc.)", kind: .organization)]
        #expect(CompanyMatch.matches("humana", in: parties).map(\.party.id) == ["humana", "humana-inc", "humana-welltok"])
        #expect(CompanyMatch.matches("humana", in: parties).map(\.rank) == [.exactID, .normalizedName, .word])
        let renamed = parties.enumerated().map { Party(id: "p\($0.offset)", name: $0.element.name, kind: .organization) }
        #expect(CompanyMatch.matches("HUMANA", in: renamed.reversed()).map(\.party.id) == ["p0", "p1", "p2"])
        #expect(CompanyMatch.matches("HUMANA", in: renamed).map(\.rank) == [.exactName, .normalizedName, .word])
    }
}

@Suite("Timeline")
struct TimelineTests {
    @Test("events are ordered by first instant, then precision, then input order")
    func ordering() throws {
        let events = [
            Event(type: .apology, at: try EventTime(parsing: "2011-05-01")),
            Event(type: .statement, at: try EventTime(parsing: "2011-04")),
            Event(type: .outageStart, at: try EventTime(parsing: "2011-04-20")),
            Event(type: .intrusion, at: try EventTime(parsing: "2011-04-01")),
            Event(type: .detection, at: try EventTime(parsing: "2011-04-01")),
        ]
        let timeline = Timeline(Incident(id: "x", title: "X", organization: "o", kinds: [.breach], events: events))
        #expect(timeline.entries.map(\.event.type) == [.intrusion, .detection, .statement, .outageStart, .apology])
        #expect(timeline.entries.map(\.offset.description) == ["0 d", "0 d", "0–29 d", "19 d", "30 d"])
        let monthFirst = Timeline(Incident(id: "x", title: "X", organization: "o", kinds: [.breach], events: [
            Event(type: .statement, at: try EventTime(parsing: "2011-04")),
            Event(type: .outageStart, at: try EventTime(parsing: "2011-04-20")),
            Event(type: .apology, at: try EventTime(parsing: "2011-05-01")),
        ]))
        #expect(monthFirst.entries.map(\.offset.signed) == ["−19…+10 d", "+0 d", "+11 d"], "offsets count from the first day-precise event")
        #expect(timeline.position(ofInputIndex: 0) == 4)
    }

    @Test("the PSN apology is eleven days after the outage")
    func psn() throws {
        let incident = Incident(id: "psn-2011", title: "PSN", organization: "sony", kinds: [.outage], timezone: "America/Los_Angeles",
                                events: [Event(type: .outageStart, at: try EventTime(parsing: "2011-04-20")),
                                         Event(type: .apology, at: try EventTime(parsing: "2011-05-01T14:00+09:00"))])
        // 14:00 in Tokyo on May 1 is still April 30 in Los Angeles.
        #expect(Timeline(incident).entries.last?.offset.signed == "+10 d")
        var tokyo = incident
        tokyo.timezone = "Asia/Tokyo"
        #expect(Timeline(tokyo).entries.last?.offset.signed == "+11 d")
    }
}
