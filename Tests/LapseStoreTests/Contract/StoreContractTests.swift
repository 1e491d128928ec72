import Foundation
import LapseCore
import LapseStore
import Testing

/// A way to make an empty store for the contract suite. Every backend adds its factory to
/// `StoreFactory.all`, and the whole suite runs against it.
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () throws -> any IncidentStore

    var testDescription: String { name }

    static let all: [StoreFactory] = [
        StoreFactory(name: "SQLite (in memory)") { try LapseDatabase.inMemory() },
    ]
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

    // MARK: Search

    @Test("search finds a word of an event summary, by its start too", arguments: StoreFactory.all)
    func search(_ factory: StoreFactory) throws {
        let store = try Self.seeded(factory)
        let hits = try store.searchHits(for: "vau", limit: 10)
        #expect(Set(hits.compactMap(\.incident)) == ["a-1", "b-2", "c-3"])
        #expect(hits.allSatisfy { $0.kind == .event })
        #expect(try store.searchHits(for: "unicorn", limit: 10).isEmpty)
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
