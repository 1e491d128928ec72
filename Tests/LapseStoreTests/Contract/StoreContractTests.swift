import Foundation
import LapseCore
import LapsePostgres
import LapseStore
import PostgresTestSupport
import Testing

/// A way to make an empty store for the contract suite. Every backend adds its factory to
/// `StoreFactory.all`, and the whole suite runs against it.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () throws -> any IncidentStore

    var testDescription: String { name }

    static let all: [StoreFactory] = {
        var factories = [StoreFactory(name: "SQLite (in memory)") { try LapseDatabase.inMemory() }]
        if case .success(let cluster) = PostgresCluster.shared {
            factories.append(StoreFactory(name: "PostgreSQL") { try cluster.newStore() })
        }
        return factories
    }()
}

/// The suite runs on PostgreSQL whenever a cluster could be started; otherwise this says why it
/// skipped (a failure under `LAPSE_REQUIRE_ALL=1`).
@Test("the contract suite runs against PostgreSQL when its binaries are installed")
func postgresIsThere() {
    guard PostgresCluster.forTest(fail: { Issue.record("\($0)") }) != nil else { return }
    #expect(StoreFactory.all.map(\.name) == ["SQLite (in memory)", "PostgreSQL"])
}

func t(_ s: String) -> EventTime { EventTime(s)! }

/// Sony and two subsidiaries, a person, and another company: enough to test matching and merging.
func seed(_ store: any IncidentStore) throws {
    try store.importing { s in
        try s.add(Party(id: "sony", name: "Sony Group Corporation", kind: .organization, aliases: ["Sony"]), at: .init())
        try s.add(Party(id: "sce", name: "Sony Computer Entertainment", kind: .organization, aliases: ["SCE", "PlayStation"], parent: "sony"), at: .init())
        try s.add(Party(id: "soe", name: "Sony Online Entertainment", kind: .organization, parent: "sony"), at: .init())
        try s.add(Party(id: "hirai", name: "Kazuo Hirai", kind: .person, affiliation: "sce", role: "Chairman"), at: .init())
        try s.add(Party(id: "equifax", name: "Equifax Inc.", kind: .organization), at: .init())
        try s.add(Incident(id: "psn-2011", title: "PlayStation Network intrusion", organization: "sce", kinds: [.breach, .outage],
                           summary: "Personal data of 77 million accounts exposed.", recordsAffected: 77_000_000,
                           timezone: "America/Los_Angeles", jurisdictions: ["US", "JP"], tags: ["gaming"],
                           events: [Event(type: .outageStart, at: t("2011-04-20"), summary: "PSN goes offline"),
                                    Event(type: .apology, at: t("2011-05-01"), party: "hirai",
                                          statement: Quotation(quote: "We offer our sincerest apologies.", channel: "press conference", audience: .public),
                                          sources: [Source(url: "https://example.org/a", title: "Apology", publisher: "Daily Mail Online", published: t("2011-05-02"))])]),
                  at: .init())
        try s.add(Incident(id: "soe-2011", title: "Sony Online Entertainment breach", organization: "soe", kinds: [.breach],
                           events: [Event(type: .disclosure, at: t("2011-05-02"))]), at: .init())
        try s.add(Incident(id: "equifax-2017", title: "Equifax breach", organization: "equifax", kinds: [.breach],
                           events: [Event(type: .detection, at: t("2017-07-29")), Event(type: .disclosure, at: t("2017-09-07"))]), at: .init())
    }
}

/// The lapse/1 document of a selection (all when nil), read through the contract's export reader.
func exportedDocument(_ store: any IncidentStore, _ filter: IncidentFilter?) throws -> LapseDocument {
    try store.withExportReader(selectedBy: filter) { reader in
        var document = LapseDocument()
        try reader.forEachPartyBatch { document.parties += $0 }
        try reader.forEachIncidentBatch { document.incidents += $0 }
        return document
    }
}

/// The store contract (LapseCore/Store) as any backend must keep it, written against
/// `any IncidentStore` only: reads, single writes, the bulk-import sink, the export read, search.
@Suite("Store contract")
struct StoreContractTests {
    static let acme = Party(id: "acme", name: "Acme Corporation", kind: .organization, aliases: ["Acme"])
    static let acmeLabs = Party(id: "acme-labs", name: "Acme Labs", kind: .organization, parent: "acme")
    static let other = Party(id: "globex", name: "Globex", kind: .organization)

    static func incident(_ id: String, _ organization: String, _ at: String = "2020-01-02", title: String = "Breach") -> Incident {
        Incident(id: id, title: title, organization: organization, kinds: [.breach],
                 events: [Event(type: .intrusion, at: t(at)), Event(type: .disclosure, at: t("2020-03-01"), summary: "Told the customers about the vault")])
    }

    /// A store holding three parties and three incidents, imported in one go.
    static func seeded(_ factory: StoreFactory) throws -> any IncidentStore {
        let store = try factory.make()
        try store.importing { sink in
            for party in [acmeLabs, acme, other] { try sink.add(party, at: RecordLocation()) }
            try sink.add(incident("b-2", "acme-labs"), at: RecordLocation())
            try sink.add(incident("a-1", "acme", "2019-05"), at: RecordLocation())
            try sink.add(incident("c-3", "globex"), at: RecordLocation())
        }
        return store
    }

    // MARK: Bulk import

    @Test("an import reports what it added; re-importing an id replaces the stored incident whole", arguments: StoreFactory.all)
    func importTally(_ factory: StoreFactory) throws {
        let store = try factory.make()
        let (_, first) = try store.importing { sink in
            try sink.add(Self.acme, at: RecordLocation())
            try sink.add(Self.incident("a-1", "acme"), at: RecordLocation())
        }
        #expect(first == ImportTally(parties: 1, incidents: 1, events: 2, incidentsReplaced: 0))
        var changed = Self.incident("a-1", "acme", title: "Breach, revised")
        changed.events.removeLast()
        let (_, second) = try store.importing { sink in try sink.add(changed, at: RecordLocation()) }
        #expect(second == ImportTally(parties: 0, incidents: 1, events: 1, incidentsReplaced: 1))
        let stored = try #require(try store.incident(withID: "a-1"))
        #expect(stored.title == "Breach, revised")
        #expect(stored.events.count == 1)
    }

    @Test("an import is all or nothing: a missing party fails it whole, naming where it was used", arguments: StoreFactory.all)
    func importAllOrNothing(_ factory: StoreFactory) throws {
        let store = try factory.make()
        let error = try #require(throws: DataProblems.self) {
            try store.importing { sink in
                try sink.add(Self.acme, at: RecordLocation())
                try sink.add(Self.incident("a-1", "nobody"), at: RecordLocation(file: "f.json", path: "incidents[0]"))
            }
        }
        #expect(error.problems.map(\.description).joined().contains("nobody"))
        #expect(error.problems.first?.file == "f.json")
        #expect(try store.parties(ofKind: nil).isEmpty)
        #expect(try store.incident(withID: "a-1") == nil)
    }

    @Test("a dry run checks against the stored data and writes nothing", arguments: StoreFactory.all)
    func dryRun(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        let (seen, tally) = try store.importing(dryRun: true) { sink in
            try sink.add(Self.incident("d-4", "globex"), at: RecordLocation())
            return (try sink.hasIncident(id: "d-4"), try sink.storedPartyName(id: "acme"))
        }
        #expect(seen.0 == true, "the sink sees what it added")
        #expect(seen.1 == "Acme Corporation")
        #expect(tally.incidents == 1)
        #expect(try store.incident(withID: "d-4") == nil)
    }

    @Test("the sink refuses an incident id given twice in one import", arguments: StoreFactory.all)
    func twiceInOneImport(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        #expect(throws: DataProblems.self) {
            try store.importing { sink in
                try sink.add(Self.incident("d-4", "globex"), at: RecordLocation())
                try sink.add(Self.incident("d-4", "globex"), at: RecordLocation())
            }
        }
        #expect(try store.incident(withID: "d-4") == nil)
    }

    @Test("an import is one transaction: a bad record leaves nothing behind", arguments: StoreFactory.all)
    func atomicImport(_ factory: StoreFactory) throws {
        let store = try factory.make()
        #expect(throws: DataProblems.self) {
            try store.importing { s in
                try s.add(Party(id: "acme", name: "Acme", kind: .organization), at: .init())
                try s.add(Incident(id: "a-1", title: "A", organization: "acme", kinds: [.breach],
                                   events: [Event(type: .detection, at: t("2020"), party: "ghost")]), at: RecordLocation(file: "f.json", path: "incidents[0]"))
            }
        }
        #expect(try store.parties(ofKind: nil).isEmpty)
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter()).isEmpty)
    }

    @Test("a missing party is named with the file and path of its first use", arguments: StoreFactory.all)
    func missingParty(_ factory: StoreFactory) throws {
        let store = try factory.make()
        do {
            try store.importing { s in
                try s.add(Incident(id: "a-1", title: "A", organization: "acme", kinds: [.breach]), at: RecordLocation(file: "f.json", path: "incidents[3]"))
            }
            Issue.record("expected an error")
        } catch let error as DataProblems {
            #expect(error.description == #"f.json: incidents[3].organization: no party with id "acme"; expected the id of a party in this import or already in the database (see `lapse parties`)"#)
        }
    }

    @Test("a party may be defined after its first use in the same import", arguments: StoreFactory.all)
    func forwardReference(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try store.importing { s in
            try s.add(Incident(id: "a-1", title: "A", organization: "acme-eu", kinds: [.breach]), at: .init())
            try s.add(Party(id: "acme-eu", name: "Acme Europe", kind: .organization, parent: "acme"), at: .init())
            try s.add(Party(id: "acme", name: "Acme", kind: .organization), at: .init())
        }
        #expect(try store.incident(withID: "a-1")?.organization == "acme-eu")
    }

    @Test("parent chains that loop are rejected", arguments: StoreFactory.all)
    func parentCycle(_ factory: StoreFactory) throws {
        let store = try factory.make()
        #expect(throws: DataProblems.self) {
            try store.importing { s in
                try s.add(Party(id: "a", name: "A", kind: .organization, parent: "b"), at: .init())
                try s.add(Party(id: "b", name: "B", kind: .organization, parent: "a"), at: .init())
            }
        }
        #expect(try store.parties(ofKind: nil).isEmpty)
    }

    @Test("a parent chain that loops is refused, naming each party in the loop; nothing is written", arguments: StoreFactory.all)
    func parentLoops(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        func org(_ id: String, parent: String?) -> Party { Party(id: id, name: id.uppercased(), kind: .organization, parent: parent) }
        let error = try #require(throws: DataProblems.self) {
            try store.importing { s in
                // a → b → a loops; c leads into the loop without being in it; d → e → sony ends well.
                for party in [org("a", parent: "b"), org("b", parent: "a"), org("c", parent: "a"), org("d", parent: "e"), org("e", parent: "sony")] {
                    try s.add(party, at: RecordLocation(file: "parties.json", path: "parties[\(party.id)]"))
                }
            }
        }
        #expect(error.problems.map(\.description) == [
            "parties.json: parties[a].parent: the parent chain of \"a\" leads back to itself; expected a chain that ends at a top-level organization",
            "parties.json: parties[b].parent: the parent chain of \"b\" leads back to itself; expected a chain that ends at a top-level organization",
        ])
        #expect(try store.party(withID: "d") == nil, "nothing of the refused import is written")
        // A loop closed through a party stored earlier is found too.
        try store.importing { s in try s.add(org("x", parent: "sony"), at: .init()) }
        #expect(throws: DataProblems.self) {
            try store.importing { s in try s.add(org("sony", parent: "x"), at: .init()) }
        }
    }

    @Test("re-importing an incident replaces it whole", arguments: StoreFactory.all)
    func replaceIncident(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        try store.importing { s in
            try s.add(Incident(id: "psn-2011", title: "PSN, revised", organization: "sce", kinds: [.outage],
                               events: [Event(type: .outageStart, at: t("2011-04-20"))]), at: .init())
        }
        let psn = try #require(try store.incident(withID: "psn-2011"))
        #expect(psn.title == "PSN, revised")
        #expect(psn.kinds == [.outage])
        #expect(psn.events.count == 1)
        #expect(psn.jurisdictions.isEmpty)
        #expect(try store.searchHits(for: "sincerest", limit: 20).isEmpty, "the old events' text must leave the search index")
        #expect(try store.searchHits(for: "revised", limit: 20).map(\.incident) == ["psn-2011"])
    }

    @Test("parties merge by id: given fields win, aliases are united", arguments: StoreFactory.all)
    func mergeParty(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        try store.importing { s in
            try s.add(Party(id: "sce", name: "Sony Interactive Entertainment", kind: .organization, aliases: ["SIE", "SCE"], country: "US"), at: .init())
        }
        let sce = try #require(try store.party(withID: "sce"))
        #expect(sce.name == "Sony Interactive Entertainment")
        #expect(sce.aliases == ["SCE", "PlayStation", "SIE"])
        #expect(sce.parent == "sony", "an absent parent keeps the stored one")
        #expect(sce.country == "US")
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(company: "interactive")).map(\.id) == ["psn-2011"])
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(company: "computer")).isEmpty, "old name words are forgotten")
        #expect(try store.searchHits(for: "SIE", limit: 20).map(\.label) == ["sce"])
    }

    // MARK: Reads

    @Test("reads: incidents in id order, a company with its subsidiaries, summaries, parties", arguments: StoreFactory.all)
    func reads(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        #expect(try store.incidents(selectedBy: IncidentFilter()).map(\.id) == ["a-1", "b-2", "c-3"])
        #expect(try store.incidents(selectedBy: IncidentFilter(company: "acme")).map(\.id) == ["a-1", "b-2"])
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(ids: ["c-3"])).map(\.eventCount) == [2])
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(ids: ["a-1"])).first?.firstEvent == "2019-05")
        #expect(try store.parties(ofKind: nil).map(\.id) == ["acme", "acme-labs", "globex"])
        #expect(try store.party(withID: "acme")?.aliases == ["Acme"])
        #expect(try store.partiesByID()["acme-labs"]?.parent == "acme")
        #expect(try store.incident(withID: "zzz") == nil)
    }

    @Test("--company matches name, a word of it, or an alias, any case, with subsidiaries", arguments: StoreFactory.all, [
        ("sony", ["psn-2011", "soe-2011"]), ("SONY", ["psn-2011", "soe-2011"]), ("Sony Group Corporation", ["psn-2011", "soe-2011"]),
        ("playstation", ["psn-2011"]), ("sce", ["psn-2011"]), ("sony online entertainment", ["soe-2011"]),
        ("entertainment", ["psn-2011", "soe-2011"]), ("equifax", ["equifax-2017"]), ("Equifax Inc.", ["equifax-2017"]),
        ("son", []), ("nintendo", []), ("inc.", []), ("group", []), ("sce", ["psn-2011"]), ("soe", ["soe-2011"]),
    ])
    func company(_ factory: StoreFactory, _ query: (name: String, expected: [String])) throws {
        let store = try factory.make()
        try seed(store)
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(company: query.name)).map(\.id).sorted() == query.expected)
    }

    @Test("filters by kind and by the date of the first event", arguments: StoreFactory.all)
    func filters(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(kinds: [.outage])).map(\.id) == ["psn-2011"])
        let utc = TimeZone(identifier: "UTC")!
        let in2017 = IncidentFilter(since: t("2017").firstInstant(in: utc), before: t("2017").endInstant(in: utc))
        #expect(try store.incidentSummaries(selectedBy: in2017).map(\.id) == ["equifax-2017"])
        let summaries = try store.incidentSummaries(selectedBy: IncidentFilter())
        #expect(summaries.map(\.id) == ["psn-2011", "soe-2011", "equifax-2017"], "ordered by first event")
        #expect(summaries[0].firstEvent == "2011-04-20")
        #expect(summaries[0].eventCount == 2)
        #expect(summaries[0].organizationName == "Sony Computer Entertainment")
    }

    // MARK: Single writes

    @Test("single writes refuse a taken id and an unknown incident", arguments: StoreFactory.all)
    func singleWrites(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        #expect(throws: DataProblems.self) { try store.addNewParty(Self.acme) }
        #expect(throws: DataProblems.self) { try store.addNewIncident(Self.incident("a-1", "acme")) }
        #expect(throws: StoreLookupError.self) { _ = try store.appendEvent(Event(type: .apology, at: t("2020-04")), toIncident: "nope") }
        let (incident, index) = try store.appendEvent(Event(type: .apology, at: t("2018")), toIncident: "a-1")
        #expect(index == 2)
        #expect(incident.events.count == 3)
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(ids: ["a-1"])).first?.firstEvent == "2018")
    }

    @Test("logging an event appends it and keeps the incident's first date", arguments: StoreFactory.all)
    func logEvent(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        let (incident, index) = try store.appendEvent(Event(type: .intrusion, at: t("2011-04-17"), until: t("2011-04-19")), toIncident: "psn-2011")
        #expect(index == 2)
        #expect(incident.events.count == 3)
        #expect(try store.incident(withID: "psn-2011")?.events.last?.until == t("2011-04-19"))
        #expect(try store.incidentSummaries(selectedBy: IncidentFilter(ids: ["psn-2011"])).first?.firstEvent == "2011-04-17")
        #expect(throws: StoreLookupError.self) { try store.appendEvent(Event(type: .other, at: t("2020")), toIncident: "nope") }
        #expect(throws: DataProblems.self) { try store.appendEvent(Event(type: .other, at: t("2020"), party: "ghost"), toIncident: "psn-2011") }
        #expect(try store.incident(withID: "psn-2011")?.events.count == 3)
    }

    @Test("the day an incident was closed is kept by imports, single writes, every read and the change log", arguments: StoreFactory.all)
    func closedRoundTrip(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        var closed = Self.incident("d-4", "acme")
        closed.closed = t("2020-06-30")
        try store.importing { sink in try sink.add(closed, at: RecordLocation()) }
        #expect(try store.incident(withID: "d-4")?.closed?.description == "2020-06-30")
        #expect(try store.incident(withID: "a-1")?.closed == nil, "an incident is open unless closed")
        // Every read of whole or measured incidents carries it.
        var exported: [String: String] = [:], measured: [String: String] = [:]
        try store.withExportReader(selectedBy: nil, batchSize: 2) { reader in
            try reader.forEachIncidentBatch { for i in $0 { exported[i.id] = i.closed?.description ?? "open" } }
            try reader.forEachMeasurementBatch(withText: false) { for i in $0 { measured[i.id] = i.closed?.description ?? "open" } }
        }
        #expect(exported == ["a-1": "open", "b-2": "open", "c-3": "open", "d-4": "2020-06-30"])
        #expect(measured == exported)
        #expect(try store.measurementSet(selectedBy: IncidentFilter(ids: ["d-4"]), withText: false).incidents.first?.closed?.description == "2020-06-30")
        // A single write closes another, moves the day, reopens; the log holds each state.
        var edited = try #require(try store.incident(withID: "a-1"))
        edited.closed = t("2020-04~")
        let closing = try store.write([.incident(edited)], as: ChangeContext(author: "test", command: "incident close a-1"))
        #expect(try store.incident(withID: "a-1")?.closed?.description == "2020-04~", "stored as written, qualifier kept")
        edited.closed = nil
        let reopening = try store.write([.incident(edited)], as: ChangeContext(author: "test", command: "incident reopen a-1"))
        #expect(try store.incident(withID: "a-1")?.closed == nil)
        func state(_ record: LapseRecord?) -> String? {
            guard case .incident(let incident)? = record else { return "not an incident" }
            return incident.closed?.description
        }
        let logged = try store.changes(selectedBy: ChangeFilter(recordID: "a-1", kind: .incident), limit: nil)
        let close = try #require(logged.first { $0.id == closing.id }?.records.first)
        let reopen = try #require(logged.first { $0.id == reopening.id }?.records.first)
        #expect(state(close.before) == nil && state(close.after) == "2020-04~")
        #expect(state(reopen.before) == "2020-04~" && state(reopen.after) == nil)
    }

    @Test("merging a company together with its own subsidiary into a third party moves every incident and keeps every name", arguments: StoreFactory.all)
    func mergeCompanyAndSubsidiary(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        let count = try store.mergeParties(["acme", "acme-labs"], into: "globex")
        #expect(count.incidents == 2)
        #expect(count.aliases == 3)
        #expect(try store.party(withID: "acme") == nil && store.party(withID: "acme-labs") == nil)
        #expect(try store.party(withID: "globex")?.aliases == ["Acme Corporation", "Acme", "Acme Labs"])
        #expect(try store.incidents(selectedBy: IncidentFilter()).map(\.organization) == ["globex", "globex", "globex"])
    }

    // MARK: Export

    @Test("the export read gives incidents and parties in key order, in batches of the size asked", arguments: StoreFactory.all)
    func exportRead(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        var batches: [[String]] = []
        var parties: [String] = []
        try store.withExportReader(selectedBy: nil, batchSize: 2) { reader in
            try reader.forEachIncidentBatch { batches.append($0.map(\.id)) }
            try reader.forEachPartyBatch { parties += $0.map(\.id) }
        }
        #expect(batches == [["a-1", "b-2"], ["c-3"]])
        #expect(parties == ["acme", "acme-labs", "globex"])
        // A selection carries the parties its incidents name and their parents.
        var selected: [String] = []
        var needed: [String] = []
        try store.withExportReader(selectedBy: IncidentFilter(ids: ["b-2"]), batchSize: 1) { reader in
            try reader.forEachIncidentBatch { selected += $0.map(\.id) }
            try reader.forEachPartyBatch { needed += $0.map(\.id) }
        }
        #expect(selected == ["b-2"])
        #expect(needed == ["acme", "acme-labs"])
    }

    @Test("export is stable and complete: a selection carries the parties it needs", arguments: StoreFactory.all)
    func export(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        let all = try exportedDocument(store, nil)
        #expect(all.parties.map(\.id) == ["equifax", "hirai", "sce", "soe", "sony"])
        #expect(all.incidents.map(\.id) == ["equifax-2017", "psn-2011", "soe-2011"])
        let psn = try exportedDocument(store, IncidentFilter(ids: ["psn-2011"]))
        #expect(psn.parties.map(\.id) == ["hirai", "sce", "sony"])
        let copy = try factory.make()
        try copy.importing { s in
            for p in psn.parties { try s.add(p, at: .init()) }
            for i in psn.incidents { try s.add(i, at: .init()) }
        }
        #expect(try exportedDocument(copy, nil) == psn)
    }

    // MARK: Search

    @Test("search finds a word of an event summary, by its start too", arguments: StoreFactory.all)
    func search(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        let hits = try store.searchHits(for: "vau", limit: 10)
        #expect(Set(hits.compactMap(\.incident)) == ["a-1", "b-2", "c-3"])
        #expect(hits.allSatisfy { $0.kind == .event })
        #expect(try store.searchHits(for: "unicorn", limit: 10).isEmpty)
    }

    @Test("full-text search ranks hits across incidents, events, quotes and parties", arguments: StoreFactory.all)
    func rankedSearch(_ factory: StoreFactory) throws {
        let store = try factory.make()
        try seed(store)
        let quote = try store.searchHits(for: "sincerest apolog", limit: 20)
        #expect(quote.first?.kind == .event)
        #expect(quote.first?.incident == "psn-2011")
        #expect(quote.first?.snippet.contains("[sincerest]") == true)
        #expect(try store.searchHits(for: "playstation", limit: 20).map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.incident, .party])
        #expect(try store.searchHits(for: "hirai", limit: 20).map(\.label) == ["hirai"])
        #expect(try store.searchHits(for: "\"unbalanced (quote", limit: 20).isEmpty, "FTS syntax in user text is not an error")
        #expect(try store.searchHits(for: "   ", limit: 20).isEmpty)
    }

    @Test("a record's history holds that record's part of each change, not the rest of an import", arguments: StoreFactory.all)
    func recordHistory(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        let whole = try #require(try store.changes(selectedBy: ChangeFilter(), limit: nil).first)
        #expect(whole.records.count == 6, "the import wrote three parties and three incidents")
        let history = try store.changes(selectedBy: ChangeFilter(recordID: "a-1", kind: .incident), limit: nil)
        #expect(history.map(\.id) == [whole.id])
        #expect(history.first?.records.map(\.key) == [RecordKey(.incident, "a-1")])
    }
}
