import Foundation
import Testing
@testable import LapseCLI

/// The change log: every write recorded, and each revert bringing back the exact bytes of the export before.
@Suite("Edit, delete, history and revert")
struct ChangeLogTests {
    func export(_ w: Workspace) throws -> String {
        let r = w.run(["export"])
        #expect(r.code == 0, "\(r.err)")
        return r.out
    }

    /// The id of the newest change.
    func newestChange(_ w: Workspace) throws -> Int {
        let r = w.run(["history", "--format", "json", "--limit", "1"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        return try #require(list.first?["id"] as? Int)
    }

    /// A small incident whose events have no ids of their own, so they are known by derived ids.
    func acme(_ w: Workspace) throws {
        #expect(w.run(["party", "add", "acme", "--name", "Acme Corporation", "--kind", "organization", "--author", "ana"]).code == 0)
        #expect(w.run(["party", "add", "jane-doe", "--name", "Jane Doe", "--kind", "person", "--affiliation", "acme"]).code == 0)
        #expect(w.run(["incident", "add", "acme-2024", "--title", "Acme breach", "--organization", "acme", "--kind", "breach"]).code == 0)
        #expect(w.run(["log", "acme-2024", "intrusion", "--at", "2024-03-01", "--summary", "Way in"]).code == 0)
        #expect(w.run(["log", "acme-2024", "detection", "--at", "2024-03-05"]).code == 0)
        #expect(w.run(["log", "acme-2024", "disclosure", "--at", "2024-04-02", "--party", "jane-doe",
                       "--source", "https://acme.example/notice"]).code == 0)
    }

    @Test("show gives every event an id, derived where the data has none, kept across export and import")
    func eventIDs() throws {
        let w = try Workspace()
        try acme(w)
        let shown = w.run(["show", "acme-2024", "--format", "csv"])
        #expect(shown.out.hasPrefix("id,at,"), "\(shown.out)")
        #expect(shown.out.contains("acme-2024.e2,2024-03-05"))
        #expect(w.run(["show", "acme-2024"]).out.contains("[acme-2024.e3]"))
        let json = w.run(["show", "acme-2024", "--format", "json"])
        #expect(json.out.contains("\"id\" : \"acme-2024.e1\""), "\(json.out)")
        let md = w.run(["show", "acme-2024", "--format", "markdown"])
        #expect(md.out.contains("acme-2024.e3"))

        let file = try w.file("acme.json", try export(w))
        let other = try Workspace()
        #expect(other.run(["import", file]).code == 0)
        #expect(other.run(["show", "acme-2024", "--format", "csv"]).out == shown.out)
        // Deleting an event keeps the others' ids, through export and import too.
        #expect(w.run(["event", "delete", "acme-2024.e2"]).code == 0)
        let after = w.run(["show", "acme-2024", "--format", "csv"]).out
        #expect(after.contains("acme-2024.e3,2024-04-02") && !after.contains("acme-2024.e2"), "\(after)")
        let again = try Workspace()
        #expect(again.run(["import", try w.file("after.json", try export(w))]).code == 0)
        #expect(again.run(["show", "acme-2024", "--format", "csv"]).out == after)
    }

    @Test("an event edited, then reverted, exports the same bytes as before")
    func editThenRevert() throws {
        let w = try Workspace()
        try acme(w)
        let before = try export(w)
        let edit = w.run(["event", "edit", "acme-2024.e2", "--at", "2024-03-04", "--summary", "Found it", "--party", "jane-doe",
                          "--source", "https://acme.example/a", "--author", "bea"])
        #expect(edit.code == 0, "\(edit.err)")
        let edited = try export(w)
        #expect(edited != before && edited.contains("Found it") && edited.contains("2024-03-04"))
        let history = w.run(["history", "acme-2024"])
        #expect(history.out.contains("by bea"), "\(history.out)")
        #expect(history.out.contains("events[acme-2024.e2].at: 2024-03-05 → 2024-03-04"), "\(history.out)")
        #expect(history.out.contains("events[acme-2024.e2].summary: (none) → Found it"), "\(history.out)")
        let change = try newestChange(w)
        let revert = w.run(["revert", String(change), "--author", "cy"])
        #expect(revert.code == 0, "\(revert.err)")
        #expect(try export(w) == before)
        // The revert is a change too, by its own author, and can itself be reverted.
        #expect(w.run(["history", "--author", "cy"]).out.contains("revert \(change)"))
        #expect(w.run(["revert", String(try newestChange(w))]).code == 0)
        #expect(try export(w) == edited)
    }

    @Test("an incident deleted, then reverted, exports the same bytes as before; delete says how many events went")
    func deleteThenRevert() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let before = try export(w)
        let delete = w.run(["incident", "delete", "psn-2011", "--author", "dee"])
        #expect(delete.code == 0, "\(delete.err)")
        #expect(delete.out.contains("and its 40 events"), "\(delete.out)")
        #expect(w.run(["show", "psn-2011"]).code == 65)
        #expect(w.run(["history", "psn-2011"]).out.contains("incident psn-2011 deleted"))
        #expect(w.run(["revert", String(try newestChange(w))]).code == 0)
        #expect(try export(w) == before)
        #expect(w.run(["search", "Hirai"]).out.contains("psn-2011"), "the full-text index has the restored incident")
    }

    @Test("an import of the WA list, then reverted, exports the same bytes as before")
    func importThenRevert() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let before = try export(w)
        let r = w.run(waArguments + [try dataset("wa-ag-breach-notifications.csv")])
        #expect(r.code == 0, "\(r.err)")
        let change = try newestChange(w)
        let history = w.run(["history", "--format", "csv"]).out
        #expect(history.contains("\(change),"), "the import is one change")
        #expect(w.run(["revert", String(change)]).code == 0)
        #expect(try export(w) == before)
    }

    @Test("an import records the --author given and a command naming what it read")
    func importAuthor() throws {
        let w = try Workspace()
        let r = w.run(["import", sampleData, "--author", "ana"])
        #expect(r.code == 0, "\(r.err)")
        let table = try dataset("wa-ag-breach-notifications.csv")
        let t = w.run(waArguments + [table, "--author", "bo"])
        #expect(t.code == 0, "\(t.err)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(w.run(["history", "--format", "json"]).out.utf8)) as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.last?["author"] as? String == "ana")
        #expect(list.last?["command"] as? String == "import \(sampleData)")
        #expect(list.first?["author"] as? String == "bo")
        #expect(list.first?["command"] as? String == "import table \(table)")
        let records = (list.last?["records"] as? [[String: Any]]) ?? []
        #expect(records.contains { $0["id"] as? String == "psn-2011" })
        // A dry run records nothing, whoever runs it.
        #expect(w.run(["import", sampleData, "--dry-run", "--author", "cy"]).code == 0)
        #expect(w.run(["history", "--author", "cy"]).out == "No changes.\n")
    }

    @Test("two parties' records changed in one change, then reverted, export the same bytes as before")
    func twoPartiesThenRevert() throws {
        let w = try Workspace()
        try acme(w)
        #expect(w.run(["party", "add", "acme-inc", "--name", "Acme Inc", "--kind", "organization", "--alias", "Acme Incorporated"]).code == 0)
        let before = try export(w)
        // What a merge does: the incident moves to the surviving party, which takes the other's
        // names; the other party goes. One change, reverted as one.
        let file = """
            {"format": "lapse/1", "parties": [
              {"id": "acme", "name": "Acme Corporation", "kind": "organization", "aliases": ["Acme Inc", "Acme Incorporated"], "country": "US"}
            ]}
            """
        #expect(w.run(["import", try w.file("merge.json", file)]).code == 0)
        let first = try newestChange(w)
        #expect(w.run(["party", "delete", "acme-inc", "--author", "eve"]).code == 0)
        // The two changes touched different records: each reverts on its own, newest first.
        #expect(w.run(["revert", String(try newestChange(w))]).code == 0)
        #expect(w.run(["revert", String(first)]).code == 0)
        #expect(try export(w) == before)
    }

    @Test("two parties merged with party merge, then reverted, export the same bytes as before")
    func mergeThenRevert() throws {
        let w = try Workspace()
        try acme(w)
        #expect(w.run(["party", "add", "acme-inc", "--name", "Acme Inc", "--kind", "organization", "--alias", "Acme Incorporated"]).code == 0)
        #expect(w.run(["incident", "add", "acme-2025", "--title", "Acme Inc outage", "--organization", "acme-inc", "--kind", "outage"]).code == 0)
        #expect(w.run(["log", "acme-2025", "outage_start", "--at", "2025-01-10", "--party", "acme-inc"]).code == 0)
        let before = try export(w)
        let merge = w.run(["party", "merge", "acme-inc", "--into", "acme", "--author", "mel"])
        #expect(merge.code == 0, "\(merge.err)")
        let merged = try export(w)
        #expect(merged != before)
        #expect(!merged.contains("\"id\" : \"acme-inc\""), "the duplicate is gone")
        let change = try newestChange(w)
        let history = w.run(["history", "--format", "csv"]).out
        #expect(history.contains("\(change),") && history.contains(",mel,"), "the merge is one change by its author: \(history)")
        #expect(w.run(["revert", String(change)]).code == 0)
        #expect(try export(w) == before)
    }

    @Test("a revert is refused when a later change touched the same record, naming it, unless --force")
    func revertConflict() throws {
        let w = try Workspace()
        try acme(w)
        let before = try export(w)
        #expect(w.run(["event", "edit", "acme-2024.e1", "--summary", "first"]).code == 0)
        let first = try newestChange(w)
        #expect(w.run(["incident", "edit", "acme-2024", "--title", "Acme breach (2024)", "--author", "fay"]).code == 0)
        let second = try newestChange(w)
        let refused = w.run(["revert", String(first)])
        #expect(refused.code == 65)
        #expect(refused.err.contains("change \(second) (incident edit acme-2024, by fay"), "\(refused.err)")
        #expect(w.run(["revert", String(first), "--force"]).code == 0)
        #expect(try export(w) == before)
        #expect(w.run(["revert", "9999"]).code == 65)
    }

    @Test("edits are checked as an import checks them and write nothing when wrong")
    func editsValidate() throws {
        let w = try Workspace()
        try acme(w)
        let before = try export(w)
        let changes = w.run(["history", "--format", "csv"]).out
        let badParty = w.run(["event", "edit", "acme-2024.e1", "--party", "nobody"])
        #expect(badParty.code == 65)
        #expect(badParty.err.contains("no party with id \"nobody\""), "\(badParty.err)")
        let badSpan = w.run(["event", "edit", "acme-2024.e1", "--until", "2020-01-01"])
        #expect(badSpan.code == 65, "\(badSpan.err)")
        #expect(badSpan.err.contains("events[0].until"), "\(badSpan.err)")
        let both = w.run(["event", "edit", "acme-2024.e1", "--until", "2020-01-01", "--party", "nobody"])
        #expect(both.code == 65)
        #expect(both.err.contains("incident acme-2024 events[0].until: ") && both.err.contains("incident acme-2024 events[0].party: no party with id \"nobody\""),
                "every problem, each placed in the incident: \(both.err)")
        let badLog = w.run(["log", "acme-2024", "apology", "--at", "2024-04-05", "--until", "2024-04-01", "--party", "nobody", "--source", " "])
        #expect(badLog.code == 65)
        #expect(badLog.err.contains("until: ") && badLog.err.contains("party: no party with id \"nobody\"") && badLog.err.contains("sources[0].url: "),
                "every problem of the event at once: \(badLog.err)")
        #expect(w.run(["event", "edit", "acme-2024.e3", "--remove-source", "https://nowhere.example"]).err.contains("has no source"))
        #expect(w.run(["event", "edit", "acme-2024.e9", "--summary", "x"]).code == 65)
        #expect(w.run(["event", "edit", "acme-2024.e1"]).code == 65, "nothing to change")
        #expect(w.run(["incident", "edit", "nope", "--title", "x"]).code == 65)
        #expect(w.run(["incident", "edit", "acme-2024", "--timezone", "Mars/Olympus"]).code == 65)
        #expect(w.run(["party", "edit", "acme", "--parent", "acme"]).code == 65)
        #expect(w.run(["party", "delete", "nope"]).code == 65)
        let referenced = w.run(["party", "delete", "acme"])
        #expect(referenced.code == 65)
        #expect(referenced.err.contains("incident acme-2024 (organization)") && referenced.err.contains("party jane-doe (affiliation)"), "\(referenced.err)")
        #expect(try export(w) == before)
        #expect(w.run(["history", "--format", "csv"]).out == changes, "nothing was recorded")
    }

    @Test("log refuses an exact duplicate, naming the event, unless --allow-duplicate")
    func duplicates() throws {
        let w = try Workspace()
        try acme(w)
        let again = w.run(["log", "acme-2024", "detection", "--at", "2024-03-05"])
        #expect(again.code == 65)
        #expect(again.err.contains("event acme-2024.e2 already records"), "\(again.err)")
        #expect(w.run(["log", "acme-2024", "detection", "--at", "2024-03-05", "--summary", "other"]).code == 0)
        let forced = w.run(["log", "acme-2024", "detection", "--at", "2024-03-05", "--allow-duplicate"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(forced.out.contains("as acme-2024.e5"), "\(forced.out)")
    }

    @Test("history names the author and command of every write, newest first; filters; prune is logged")
    func history() throws {
        let w = try Workspace()
        try acme(w)
        #expect(w.run(["party", "edit", "acme", "--country", "US", "--author", "gus"]).code == 0)
        let all = w.run(["history", "--format", "json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(all.out.utf8)) as? [[String: Any]])
        #expect(list.count == 7)
        #expect(list.map { $0["id"] as? Int } == (1...7).reversed().map { $0 })
        #expect(list.first?["author"] as? String == "gus")
        #expect(list.first?["command"] as? String == "party edit acme")
        #expect(list.last?["author"] as? String == "ana")
        #expect(list.allSatisfy { !($0["author"] as? String ?? "").isEmpty })
        #expect(w.run(["history", "acme", "--format", "json"]).out.contains("\"country\" : \"US\""))
        #expect(w.run(["history", "--author", "gus", "--format", "csv"]).out.contains("party,acme,country,,US"))
        #expect(w.run(["history", "--since", "2999-01-01"]).out == "No changes.\n")
        #expect(w.run(["history", "--since", "yesterday"]).code == 64)
        let prune = w.run(["history", "prune", "--before", "2999-01-01", "--author", "hal"])
        #expect(prune.code == 0, "\(prune.err)")
        #expect(prune.out.contains("Deleted 7 changes"))
        let left = w.run(["history", "--format", "csv"]).out
        #expect(left.contains("hal,history prune --before 2999-01-01"), "\(left)")
    }
}

@Suite("Export with the change log")
struct HistoryExportTests {
    @Test("export --history carries the log; importing it into a new database restores it")
    func moveWithHistory() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        #expect(w.run(["incident", "edit", "psn-2011", "--records", "77000001", "--author", "ivy"]).code == 0)
        let plain = w.run(["export"]).out
        let full = w.run(["export", "--history"])
        #expect(full.code == 0, "\(full.err)")
        #expect(full.out.hasPrefix("{\n  \"format\" : \"lapse/1\",\n  \"history\" : [\n"))
        #expect(!plain.contains("\"history\""), "without --history the document is as before")
        let other = try Workspace()
        #expect(other.run(["import", try w.file("moving.json", full.out)]).code == 0)
        #expect(other.run(["export"]).out == plain)
        let history = other.run(["history", "psn-2011", "--format", "csv"]).out
        #expect(history.contains("ivy,incident edit psn-2011,incident,psn-2011,records_affected,77000000,77000001"), "\(history)")
        // An import keeps no copy of what it wrote: its "after" is the state before the next change,
        // or the record as stored when none followed.
        let list = try #require(try JSONSerialization.jsonObject(with: Data(w.run(["history", "--format", "json"]).out.utf8)) as? [[String: Any]])
        let importChange = try #require(list.last?["records"] as? [[String: Any]])
        let psn = try #require(importChange.first { $0["id"] as? String == "psn-2011" })
        #expect((psn["after"] as? [String: Any])?["records_affected"] as? Int == 77000000)
        let uber = try #require(importChange.first { $0["id"] as? String == "uber-2016" })
        #expect((uber["after"] as? [String: Any])?["id"] as? String == "uber-2016")
        #expect(uber["before"] == nil, "an added record has no state before")
        #expect(w.run(["export", "--history", "--jsonl"]).code == 64)
        #expect(w.run(["export", "--history", "--company", "sony"]).code == 64)
    }
}
