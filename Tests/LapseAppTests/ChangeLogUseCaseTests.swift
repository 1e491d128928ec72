import Foundation
import LapseApp
import LapseCore
import LapseStore
import Testing

@Suite("Change log use cases over the store contract")
struct ChangeLogUseCaseTests {
    let alice = ChangeContext(author: "alice", command: "party merge acme-inc acme")

    @Test("two parties merged in one change (as a merge writes it), then reverted, come back exactly")
    func mergeThenRevert() throws {
        let store = try store()
        try PartyRegistry(store: store).add(Party(id: "acme-inc", name: "Acme Inc", kind: .organization, aliases: ["Acme Incorporated"], country: "US"))
        try IncidentRecorder(store: store).add(Incident(id: "acme-2023", title: "Acme Inc leak", organization: "acme-inc", kinds: [.breach]))
        let before = try snapshot(store)
        var survivor = try #require(try store.party(withID: "acme"))
        survivor.aliases += ["Acme Inc", "Acme Incorporated"]
        survivor.country = "US"
        var moved = try #require(try store.incident(withID: "acme-2023"))
        moved.organization = "acme"
        let merge = try PartyEditor(store: store).write([.party(survivor), .incident(moved), .deleting(RecordKey(.party, "acme-inc"))], as: alice)
        #expect(merge.records.map(\.key) == [RecordKey(.party, "acme"), RecordKey(.incident, "acme-2023"), RecordKey(.party, "acme-inc")])
        #expect(merge.records[2].after == nil && merge.records[2].before != nil)
        #expect(try store.party(withID: "acme-inc") == nil)
        #expect(try snapshot(store) != before)

        let history = try ChangeHistory(store: store).changes(selectedBy: ChangeFilter(recordID: "acme-inc"))
        #expect(history.first?.author == "alice")
        #expect(history.first?.command == "party merge acme-inc acme")
        let revert = try ChangeReverter(store: store).revert(merge.id, force: false, as: ChangeContext(author: "bob", command: "revert"))
        #expect(revert.records.count == 3)
        #expect(try snapshot(store) == before)
    }

    @Test("a write with a bad record writes nothing and records nothing")
    func atomic() throws {
        let store = try store()
        let count = try store.changes(selectedBy: ChangeFilter(), limit: nil).count
        var party = try #require(try store.party(withID: "acme"))
        party.name = "Acme Corp."
        var incident = try #require(try store.incident(withID: "acme-2024"))
        incident.organization = "nobody"
        #expect(throws: DataProblems.self) { try store.write([.party(party), .incident(incident)], as: alice) }
        #expect(try store.party(withID: "acme")?.name == "Acme Corporation")
        #expect(try store.changes(selectedBy: ChangeFilter(), limit: nil).count == count)
    }

    @Test("a readable diff names events by id")
    func diff() throws {
        var after = Incident(id: "x", title: "T", organization: "acme", kinds: [.breach])
        after.events = [Event(type: .detection, at: EventTime("2024-01-02")!)]
        var before = after
        before.events[0].at = EventTime("2024-01-01")!
        let lines = RecordDiff.lines(ChangedRecord(key: RecordKey(.incident, "x"), before: .incident(before), after: .incident(after)))
        #expect(lines == [RecordDiff.Line(path: "events[x.e1].at", before: "2024-01-01", after: "2024-01-02")])
    }

    func snapshot(_ store: any IncidentStore) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let parties = try store.parties(ofKind: nil).map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let incidents = try store.incidents(selectedBy: IncidentFilter()).map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        return parties + incidents
    }
}
