import Foundation
import Testing
@testable import LapseCLI

/// lapse/1 documents go through the same import runner as tables, VERIS and Have I Been Pwned:
/// the same dry run, `--skip-invalid`, `--rejects`, limit of problems and summary. Checked on
/// real data: the Washington State Attorney General's notifications (imported as a table, then
/// exported as lapse/1) and the bundled sample incidents.
@Suite("One import runner")
struct ImportRunnerTests {
    /// The WA file without name matching, so that its parties are exactly the rows' names.
    static let table = waArguments + ["--no-match-parties"]

    /// The WA data as lapse/1 JSON Lines (parties first, then incidents), exported from a table import.
    static func waLines(_ w: Workspace) throws -> String {
        let source = try Workspace()
        let imported = source.run(table + [try dataset("wa-ag-breach-notifications.csv")])
        #expect(imported.code == 0, "\(imported.err)")
        let exported = source.run(["export", "--jsonl"])
        #expect(exported.code == 0, "\(exported.err)")
        return try w.file("wa.jsonl", exported.out)
    }

    /// The WA table with Fuller & Fuller's notification 13574 detected on 30 February.
    static func brokenTable(_ w: Workspace) throws -> String {
        let text = try String(contentsOfFile: try dataset("wa-ag-breach-notifications.csv"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.contains(",Fuller & Fuller,13574,") })
        #expect(lines[row].hasPrefix("12/15/2021 12:00:00 AM,"), "DateAware is the first column")
        lines[row] = "02/30/2022" + lines[row].dropFirst("12/15/2021".count)
        return try w.file("wa-broken.csv", lines.joined(separator: "\n"))
    }

    /// The same record broken the same way in the lapse/1 export: its detection on 30 February.
    static func brokenLines(_ w: Workspace, _ lines: String) throws -> (path: String, line: Int) {
        var records = try String(contentsOfFile: lines, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(records.firstIndex { $0.contains("\"id\":\"wa-13574\"") })
        #expect(records[index].contains("\"at\":\"2021-12-15\""))
        records[index] = records[index].replacingOccurrences(of: "\"at\":\"2021-12-15\"", with: "\"at\":\"2022-02-30\"")
        return (try w.file("wa-broken.jsonl", records.joined(separator: "\n")), index + 1)
    }

    /// The counts of a summary line: what comes between the source and " into " (or " would be imported").
    static func counts(_ summary: String) -> String? {
        guard let line = summary.split(separator: "\n").last(where: { $0.hasPrefix("Imported ") || $0.hasPrefix("Checked ") }),
              let colon = line.range(of: ": ") else { return nil }
        let rest = line[colon.upperBound...]
        let end = rest.range(of: " into ") ?? rest.range(of: " would be imported")
        return end.map { String(rest[..<$0.lowerBound]) }
    }

    static func incidentCount(_ w: Workspace) -> Int {
        w.run(["incidents", "--format", "csv"]).out.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count - 1
    }

    @Test("a dry run lists the same plan, line for line, and the same counts for the WA records as a table and as lapse/1")
    func dryRunPlans() throws {
        let w = try Workspace()
        let lines = try Self.waLines(w)
        let table = w.run(Self.table + [try dataset("wa-ag-breach-notifications.csv"), "--dry-run"])
        let document = w.run(["import", lines, "--dry-run"])
        #expect(table.code == 0, "\(table.err)")
        #expect(document.code == 0, "\(document.err)")
        #expect(document.out.contains("incident  wa-13574  new  3 events  Fuller & Fuller breach (13574)\n"))
        #expect(document.out.contains("party     fuller-fuller  organization  Fuller & Fuller\n"))
        let plan = document.out.split(separator: "\n")
        #expect(plan.count == 1_109 + 1_072, "one line per incident and party")
        #expect(plan.sorted() == table.out.split(separator: "\n").sorted())
        #expect(document.err.hasSuffix("would be imported; nothing was written (dry run).\n"), "\(document.err)")
        #expect(Self.counts(document.err) == "1,109 incidents, 3,165 events, 1,072 new parties")
        #expect(Self.counts(document.err) == Self.counts(table.err))
        #expect(Self.incidentCount(w) == 0, "nothing was written")
    }

    @Test("a dry run creates no database file when there is none, and refuses --show, which needs an imported incident")
    func dryRunWritesNoFile() throws {
        let w = try Workspace()
        let folder = w.url.appendingPathComponent("not-yet").path
        let db = folder + "/lapse.sqlite"
        let runs = [(["import", sampleData, "--dry-run"], "incident  psn-2011  new  40 events"),
                    (Self.table + [try dataset("wa-ag-breach-notifications.csv"), "--dry-run"], "incident  wa-13574  new  3 events")]
        for (arguments, planned) in runs {
            let dry = w.run(arguments + ["--db", db], passDB: false)
            #expect(dry.code == 0, "\(dry.err)")
            #expect(dry.out.contains(planned), "\(dry.out.prefix(500))")
            #expect(dry.err.hasSuffix("nothing was written (dry run).\n"), "\(dry.err)")
            #expect(!FileManager.default.fileExists(atPath: folder), "the dry run created \(folder)")
        }
        let show = w.run(["import", sampleData, "--dry-run", "--show", "psn-2011", "--db", db], passDB: false)
        #expect(show.code == 64, "\(show.err)")
        #expect(show.err.contains("--show shows an incident once it is imported, and --dry-run imports nothing"), "\(show.err)")
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(w.run(["import", sampleData, "--show", "psn-2011", "--db", db], passDB: false).code == 0, "without --dry-run it imports and shows")
    }

    @Test("the summary counts the same way: new and replaced incidents, events, new parties, and stored parties merged")
    func summaries() throws {
        let t = try Workspace(), d = try Workspace()
        let lines = try Self.waLines(d)
        let table = t.run(Self.table + [try dataset("wa-ag-breach-notifications.csv")])
        let document = d.run(["import", lines])
        #expect(table.code == 0 && document.code == 0, "\(table.err) \(document.err)")
        #expect(document.err == "Imported 1 file: 1,109 incidents, 3,165 events, 1,072 new parties into \(d.db).\n")
        #expect(Self.counts(document.err) == Self.counts(table.err))
        // Again: every incident replaces itself; the table reuses its parties, lapse/1 merges them.
        let tableAgain = t.run(Self.table + [try dataset("wa-ag-breach-notifications.csv")])
        let documentAgain = d.run(["import", lines])
        #expect(Self.counts(tableAgain.err) == "1,109 incidents (1,109 replacing stored ones), 3,165 events, 0 new parties")
        #expect(Self.counts(documentAgain.err) == "1,109 incidents (1,109 replacing stored ones), 3,165 events, 0 new parties, 1,072 stored parties merged")
        #expect(t.run(["export"]).out == d.run(["export"]).out, "the same data either way")
    }

    @Test("a bad record fails the whole import, or with --skip-invalid is reported and left out, as for a table")
    func skipInvalid() throws {
        let w = try Workspace()
        let (lines, line) = try Self.brokenLines(w, try Self.waLines(w))
        let csv = try Self.brokenTable(w)
        for (arguments, place) in [(Self.table + [csv], "\(csv):739: column DateAware: \"02/30/2022 12:00:00 AM\""),
                                   (["import", lines], "\(lines):\(line): incident.events[1].at: \"2022-02-30\"")] {
            let failed = w.run(arguments)
            #expect(failed.code == 65, "\(failed.err)")
            #expect(failed.err.contains("lapse: error: \(place)"), "\(failed.err)")
            #expect(failed.err.contains("nothing was written"))
            #expect(Self.incidentCount(w) == 0)

            let listed = w.run(arguments + ["--skip-invalid", "--dry-run"])
            #expect(listed.code == 0, "\(listed.err)")
            #expect(listed.err.contains("lapse: rejected: \(place)"), "never silent: \(listed.err)")
            #expect(listed.err.hasSuffix("would be imported; nothing was written (dry run). Rejected 1 record (listed above).\n"), "\(listed.err)")
            #expect(!listed.out.contains("wa-13574 "), "the plan leaves the rejected record out")
            #expect(listed.out.contains("incident  wa-13575  new  3 events"))
            #expect(Self.incidentCount(w) == 0)
        }
        // Both kinds of input leave the same record out and write the same data.
        let t = try Workspace(), d = try Workspace()
        let tableRejects = t.url.appendingPathComponent("rejects.txt").path, documentRejects = d.url.appendingPathComponent("rejects.txt").path
        let table = t.run(Self.table + [csv, "--skip-invalid", "--rejects", tableRejects])
        let document = d.run(["import", lines, "--skip-invalid", "--rejects", documentRejects])
        #expect(table.code == 0 && document.code == 0, "\(table.err) \(document.err)")
        #expect(document.err == "Imported 1 file: 1,108 incidents, 3,162 events, 1,072 new parties into \(d.db). Rejected 1 record (report in \(documentRejects)).\n")
        #expect(Self.counts(document.err) == Self.counts(table.err))
        #expect(try String(contentsOfFile: documentRejects, encoding: .utf8).hasPrefix("\(lines):\(line): incident.events[1].at: \"2022-02-30\" is not a valid time"))
        #expect(try String(contentsOfFile: tableRejects, encoding: .utf8).hasPrefix("\(csv):739: column DateAware"))
        #expect(Self.incidentCount(d) == 1_108)
        #expect(d.run(["show", "wa-13574"]).code == 65)
        #expect(t.run(["export"]).out == d.run(["export"]).out)
    }

    @Test("without --skip-invalid every importer stops reading at the record that brings 100 problems and writes nothing; with it every bad record is reported")
    func problemLimit() throws {
        let w = try Workspace()
        // The WA table read with a date format none of its cells has: a problem for each date a row gives (DateStart,
        // DateAware, DateSubmitted), so reading stops after the row that brings the count to 100 or more.
        var wrongFormat = Self.table
        let format = try #require(wrongFormat.firstIndex(of: "--date-format"))
        wrongFormat[format + 1] = "yyyy-MM-dd"
        let table = wrongFormat + [try dataset("wa-ag-breach-notifications.csv")]
        var tableProblems = 0
        for row in try csvRows(try dataset("wa-ag-breach-notifications.csv")) where tableProblems < 100 {
            tableProblems += ["DateStart", "DateAware", "DateSubmitted"].filter { row[$0]?.isEmpty == false }.count
        }
        #expect(tableProblems > 100, "the limit falls inside a row, which is read to its end")
        // The WA records as lapse/1 with every detection given an event type that does not exist: one problem a record.
        let exported = try String(contentsOfFile: try Self.waLines(w), encoding: .utf8)
        let bad = exported.components(separatedBy: "\n").filter { $0.contains("\"type\":\"detection\"") }.count
        #expect(bad == 1_086)
        let lines = try w.file("unknown-type.jsonl", exported.replacingOccurrences(of: "\"type\":\"detection\"", with: "\"type\":\"discovery\""))
        for (arguments, problem, more) in [(table, "does not match the date format \"yyyy-MM-dd\"", tableProblems - 20),
                                           (["import", lines], "\"discovery\" is not a known event type", 80)] {
            let failed = w.run(arguments)
            #expect(failed.code == 65, "\(failed.err)")
            let errors = failed.err.split(separator: "\n").filter { $0.hasPrefix("lapse: error: ") }
            #expect(errors.count == 20 && errors.allSatisfy { $0.contains(problem) }, "\(failed.err)")
            #expect(failed.err.hasSuffix("lapse: ... and \(more) more problems\nlapse: nothing was written.\n"), "\(failed.err)")
            #expect(Self.incidentCount(w) == 0)
        }
        let skipped = w.run(["import", lines, "--skip-invalid", "--dry-run"])
        #expect(skipped.code == 0, "\(skipped.err)")
        #expect(skipped.err.split(separator: "\n").filter { $0.hasPrefix("lapse: rejected: ") && $0.contains("\"discovery\" is not a known event type") }.count == bad)
        // A party is a record of its own: it is imported though every incident naming it is rejected.
        #expect(skipped.err.hasSuffix(": 23 incidents, 42 events, 1,072 new parties would be imported; nothing was written (dry run). Rejected 1,086 records (listed above).\n"), "\(skipped.err)")
    }

    @Test("--rejects needs --skip-invalid, is never an input, and replaces a file only with --force", arguments: [false, true])
    func rejectsOption(_ asDocument: Bool) throws {
        let w = try Workspace()
        let input = asDocument ? try Self.brokenLines(w, try Self.waLines(w)).path : try Self.brokenTable(w)
        let command = asDocument ? ["import", input] : Self.table + [input]
        let alone = w.run(command + ["--rejects", w.url.appendingPathComponent("r.txt").path])
        #expect(alone.code == 64)
        #expect(alone.err.contains("--rejects needs --skip-invalid"), "\(alone.err)")
        let intoInput = w.run(command + ["--skip-invalid", "--rejects", input])
        #expect(intoInput.code == 64, "\(intoInput.err)")
        #expect(intoInput.err.contains("--rejects"), "\(intoInput.err)")
        let existing = try w.file("old.txt", "keep me\n")
        let refused = w.run(command + ["--skip-invalid", "--rejects", existing])
        #expect(refused.code == 64, "\(refused.err)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me\n")
        #expect(Self.incidentCount(w) == 0, "nothing is written when the report cannot be")
        let forced = w.run(command + ["--skip-invalid", "--rejects", existing, "--force"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8).contains(asDocument ? "incident.events[1].at" : "column DateAware"))
    }

    @Test("with --skip-invalid a party may still come after its first use; a rejected party takes the records that name it along")
    func partiesByID() throws {
        let w = try Workspace()
        let lines = try String(contentsOfFile: try Self.waLines(w), encoding: .utf8).split(separator: "\n").map(String.init)
        // Incidents first, then parties: every incident waits for its organization, then is written.
        let reversed = try w.file("incidents-first.jsonl", (lines.filter { $0.hasPrefix("{\"incident\"") } + lines.filter { $0.hasPrefix("{\"party\"") })
            .joined(separator: "\n"))
        let late = w.run(["import", reversed, "--skip-invalid"])
        #expect(late.code == 0, "\(late.err)")
        #expect(late.err == "Imported 1 file: 1,109 incidents, 3,165 events, 1,072 new parties into \(w.db).\n")

        // Fuller & Fuller's party record made invalid (a country that is not a code): its two notifications are left out with it.
        let d = try Workspace()
        let party = try #require(lines.firstIndex { $0.hasPrefix("{\"party\"") && $0.contains("\"id\":\"fuller-fuller\"") })
        var broken = lines
        broken[party] = broken[party].replacingOccurrences(of: "\"kind\":\"organization\"", with: "\"country\":\"USA\",\"kind\":\"organization\"")
        let file = try d.file("wa.jsonl", broken.joined(separator: "\n"))
        let r = d.run(["import", file, "--skip-invalid"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("lapse: rejected: \(file):\(party + 1): party.country: \"USA\" is not an ISO 3166-1 alpha-2 code"), "\(r.err)")
        let incidents = lines.enumerated().filter { $0.element.contains("\"organization\":\"fuller-fuller\"") }.map { $0.offset + 1 }
        #expect(incidents.count == 2)
        for line in incidents {
            #expect(r.err.contains("lapse: rejected: \(file):\(line): incident.organization: the party \"fuller-fuller\" is not imported: its own record is rejected too"), "\(r.err)")
        }
        #expect(r.err.hasSuffix("1,107 incidents, 3,159 events, 1,071 new parties into \(d.db). Rejected 3 records (listed above).\n"), "\(r.err)")
        // Without --skip-invalid the same file fails whole, naming the record and the parties it left missing.
        let whole = d.run(["import", file])
        #expect(whole.code == 65)
        #expect(whole.err.contains("\(file):\(party + 1): party.country"), "\(whole.err)")
        #expect(whole.err.contains("incident.organization: no party with id \"fuller-fuller\""), "\(whole.err)")
    }

    @Test("with --skip-invalid, a missing party and a loop of parents are named as without it, and only those records are left out")
    func missingAndLooping() throws {
        let w = try Workspace()
        let file = try w.file("loop.jsonl", """
            {"incident": {"id": "a-1", "title": "A", "organization": "ghost", "kinds": ["breach"]}}
            {"party": {"id": "a", "name": "A", "kind": "organization", "parent": "b"}}
            {"party": {"id": "b", "name": "B", "kind": "organization", "parent": "a"}}
            {"party": {"id": "e", "name": "E", "kind": "organization", "parent": "a"}}
            {"party": {"id": "c", "name": "C", "kind": "organization", "parent": "d"}}
            {"party": {"id": "d", "name": "D", "kind": "organization"}}
            {"incident": {"id": "c-1", "title": "C", "organization": "c", "kinds": ["breach"]}}
            {"party": {"id": "p", "name": "P", "kind": "person", "affiliation": "o"}}
            {"party": {"id": "o", "name": "O", "kind": "organization", "parent": "p"}}
            """)
        let missing = "\(file):1: incident.organization: no party with id \"ghost\"; expected the id of a party in this import or already in the database (see `lapse parties`)"
        let loops = ["\(file):2: party.parent: the parent chain of \"a\" leads back to itself; expected a chain that ends at a top-level organization",
                     "\(file):3: party.parent: the parent chain of \"b\" leads back to itself; expected a chain that ends at a top-level organization"]
        let whole = w.run(["import", file])
        #expect(whole.code == 65)
        #expect(whole.err.split(separator: "\n").filter { $0.hasPrefix("lapse: error: ") } == ([missing] + loops).map { "lapse: error: \($0)"[...] })

        let r = w.run(["import", file, "--skip-invalid"])
        #expect(r.code == 0, "\(r.err)")
        let rejected = r.err.split(separator: "\n").filter { $0.hasPrefix("lapse: rejected: ") }
        #expect(rejected == ([missing] + loops + [
            // e leads into the loop without being in it: its parent is left out.
            "\(file):4: party.parent: the party \"a\" is not imported: its own record is rejected too; expected the id of a party imported with this record or already in the database",
        ]).map { "lapse: rejected: \($0)"[...] })
        // p and o wait for each other through an affiliation, which is no loop of parents: both are in.
        #expect(r.err.hasSuffix("1 incident, 0 events, 4 new parties into \(w.db). Rejected 4 records (listed above).\n"), "\(r.err)")
        #expect(w.run(["show", "c-1"]).code == 0)
        let parties = w.run(["parties", "--format", "csv"]).out
        #expect(parties.contains("\no,O,organization") && parties.contains("\np,P,person"), "\(parties)")
    }

    @Test("a lapse/1 document's rejects are placed at their line; --show still needs its incident")
    func documentLines() throws {
        let w = try Workspace()
        let folder = w.url.appendingPathComponent("sample")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: sampleData) where name.hasSuffix(".json") {
            try FileManager.default.copyItem(atPath: sampleData + "/" + name, toPath: folder.appendingPathComponent(name).path)
        }
        let psn = folder.appendingPathComponent("psn-2011.json").path
        var text = try String(contentsOfFile: psn, encoding: .utf8)
        let date = try #require(text.range(of: "\"2011-04-20\""))
        text.replaceSubrange(date, with: "\"2011-02-30\"")
        try text.write(toFile: psn, atomically: true, encoding: .utf8)
        let line = text[..<date.lowerBound].filter { $0 == "\n" }.count + 1

        let r = w.run(["import", folder.path, "--skip-invalid", "--show", "equifax-2017"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("lapse: rejected: \(psn):\(line): incidents[0].events["), "\(r.err)")
        #expect(r.err.contains("\"2011-02-30\" is not a valid time"), "\(r.err)")
        #expect(r.err.contains("Imported 4 files: 4 incidents,"), "\(r.err)")
        #expect(r.out.contains("Equifax"))
        #expect(w.run(["show", "psn-2011"]).code == 65, "the rejected incident is left out")

        let v = try Workspace()
        let missing = v.run(["import", folder.path, "--skip-invalid", "--show", "psn-2011"])
        #expect(missing.code == 65)
        #expect(missing.err.contains("no incident with id \"psn-2011\""), "\(missing.err)")
        #expect(!missing.err.contains("lapse: rejected:"), "no report for an import that fails")
        #expect(Self.incidentCount(v) == 0)
    }
}
