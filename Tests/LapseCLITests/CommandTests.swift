import ArgumentParser
import Foundation
import Testing
@testable import LapseCLI

@Suite("Commands")
struct CommandTests {
    @Test("the quick start: import the sample data and see the Sony timeline")
    func quickStart() throws {
        let w = try Workspace()
        let r = w.run(["import", sampleData, "--show", "psn-2011"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("Imported"))
        #expect(r.out.contains("PlayStation Network"))
        let lines = r.out.split(separator: "\n").map(String.init)
        let outage = try #require(lines.first { $0.contains("Outage start") }, "event types by their names")
        #expect(outage.contains("2011-04-20"))
        let apology = try #require(lines.first { $0.contains("Apology") && $0.contains("Kazuo Hirai") })
        #expect(apology.contains("2011-05-01"))
        let words = r.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("We offer our sincerest apologies"), "the seed article's quote is on screen")
        #expect(!r.out.contains("\u{1B}["), "no colour when not on a terminal")
        // Running it again replaces the incidents rather than duplicating them.
        let again = w.run(["import", sampleData])
        #expect(again.code == 0)
        let rows = w.run(["incidents", "--format", "csv"]).out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 6, "a header and the five sample incidents, once each")
    }

    @Test("log a new incident, then find it again by company")
    func logAndFind() throws {
        let w = try Workspace()
        #expect(w.run(["party", "add", "acme", "--name", "Acme Corporation", "--kind", "organization", "--alias", "ACME Corp"]).code == 0)
        #expect(w.run(["party", "add", "acme-cloud", "--name", "Acme Cloud Services", "--kind", "organization", "--parent", "acme"]).code == 0)
        #expect(w.run(["party", "add", "jane-doe", "--name", "Jane Doe", "--kind", "person", "--affiliation", "acme", "--role", "CEO"]).code == 0)
        let add = w.run(["incident", "add", "acme-2024", "--title", "Acme Cloud outage", "--organization", "acme-cloud",
                         "--kind", "outage", "--kind", "breach", "--records", "1200", "--timezone", "America/New_York",
                         "--jurisdiction", "US", "--tag", "cloud"])
        #expect(add.code == 0, "\(add.err)")
        #expect(w.run(["log", "acme-2024", "outage_start", "--at", "2024-03-01T09:00", "--summary", "Dashboards go dark"]).code == 0)
        let apology = w.run(["log", "acme-2024", "apology", "--at", "2024-03-12", "--party", "jane-doe",
                             "--quote", "We are sorry.", "--channel", "blog", "--audience", "customers",
                             "--source", "https://acme.example/blog/sorry"])
        #expect(apology.code == 0, "\(apology.err)")
        #expect(apology.out.contains("event 2 of 2"))
        #expect(apology.out.contains("+11 d"))
        let detection = w.run(["log", "acme-2024", "detection", "--at", "2024-03-02"])
        #expect(detection.out.contains("event 2 of 3"), "\(detection.out)")
        #expect(detection.out.contains("previous: Outage start 2024-03-01T09:00"))
        #expect(detection.out.contains("next:     Apology 2024-03-12"))

        for query in ["acme", "ACME", "Acme Corporation", "acme corp", "cloud", "acme-cloud"] {
            let found = w.run(["incidents", "--company", query, "--format", "json"])
            #expect(found.code == 0)
            let list = try JSONSerialization.jsonObject(with: Data(found.out.utf8)) as? [[String: Any]]
            #expect(list?.map { $0["id"] as? String } == ["acme-2024"], "query \(query)")
            #expect(list?.first?["organization"] as? String == "acme-cloud")
            #expect(list?.first?["title"] as? String == "Acme Cloud outage")
        }
        #expect(w.run(["incidents", "--company", "corporation", "--format", "csv"]).out.components(separatedBy: "\r\n").count == 2,
                "a legal form alone matches no company")
        #expect(w.run(["incidents", "--company", "jane", "--format", "json"]).out == "[\n\n]\n" ||
                w.run(["incidents", "--company", "jane", "--format", "json"]).out.filter { !$0.isWhitespace } == "[]")
        let show = w.run(["show", "acme-2024"])
        let order = ["Outage start", "Detection", "Apology"].map { show.out.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[1]! < order[2]!)
        #expect(show.out.contains("“We are sorry.”"))
        #expect(show.out.contains("https://acme.example/blog/sorry"))
    }

    @Test("export, import into an empty database, export again: the same bytes")
    func exportRoundTrip() throws {
        let a = try Workspace(), b = try Workspace()
        #expect(a.run(["import", sampleData]).code == 0)
        let first = a.run(["export"])
        #expect(first.code == 0)
        let file = try b.file("export.json", first.out)
        #expect(b.run(["import", file]).code == 0)
        let second = b.run(["export"])
        #expect(second.out == first.out)
        #expect(first.out.contains("\"format\" : \"lapse/1\""))
        // A selection imports on its own into an empty database.
        let sony = a.run(["export", "--company", "sony", "--output", a.url.appendingPathComponent("sony.json").path])
        #expect(sony.code == 0)
        let c = try Workspace()
        #expect(c.run(["import", a.url.appendingPathComponent("sony.json").path]).code == 0)
        let ids = c.run(["incidents", "--format", "csv"]).out
        #expect(ids.contains("psn-2011"))
        #expect(!ids.contains("equifax"))
    }

    @Test("YAML and JSON Lines import; a dry run writes nothing")
    func otherFormats() throws {
        let w = try Workspace()
        let dry = w.run(["import", try fixture("acme.yaml"), "--dry-run"])
        #expect(dry.code == 0, "\(dry.err)")
        #expect(dry.err.contains("nothing was written"))
        #expect(w.run(["incidents", "--format", "csv"]).out == "id,organization,title,kinds,first_event,events,records_affected\r\n")
        #expect(w.run(["import", try fixture("acme.yaml")]).code == 0)
        let jsonl = try w.file("more.jsonl", """
            {"party": {"id": "globex", "name": "Globex", "kind": "organization"}}

            {"incident": {"id": "globex-1", "title": "Globex leak", "organization": "globex", "kinds": ["leak"], "events": [{"type": "disclosure", "at": "2020-05"}]}}
            """)
        #expect(w.run(["import", jsonl]).code == 0)
        let csv = w.run(["incidents", "--format", "csv"]).out
        #expect(csv.contains("acme-2024") && csv.contains("globex-1"))
    }

    @Test("output formats: CSV guards formulas, Markdown escapes pipes, the table hides control characters")
    func formats() throws {
        let w = try Workspace()
        #expect(w.run(["party", "add", "evil", "--name", "=HYPERLINK(\"http://x\")|\u{1B}[31mred", "--kind", "organization"]).code == 0)
        #expect(w.run(["incident", "add", "evil-1", "--title", "+cmd|' /C calc'!A0", "--organization", "evil", "--kind", "leak", "--records", "5"]).code == 0)
        let csv = w.run(["incidents", "--format", "csv"]).out
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")|\u{1B}[31mred\""))
        #expect(csv.contains(",'+cmd|' /C calc'!A0,"))
        #expect(csv.contains(",5\r\n"), "numbers are left as numbers")
        let md = w.run(["incidents", "--format", "markdown"]).out
        #expect(md.contains("\\|"))
        #expect(md.hasPrefix("| id | organization |"))
        let table = w.run(["parties"]).out
        #expect(!table.contains("\u{1B}"))
        #expect(table.contains("\\u{1B}[31mred"))
        let coloured = w.run(["parties", "--color", "always"]).out
        #expect(coloured.contains("\u{1B}[1m"))
        #expect(!w.run(["parties"], terminal: true).out.contains("\u{1B}[1m") == false)
        let noColor = w.run(["parties", "--db", w.db], environment: ["NO_COLOR": "1"], passDB: false, terminal: true)
        #expect(!noColor.out.contains("\u{1B}[1m"))
    }

    @Test("search finds quotes, titles and parties, ranked")
    func search() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let r = w.run(["search", "sincerest", "apologies", "--format", "json"])
        #expect(r.code == 0)
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        #expect(hits.first?["incident"] as? String == "psn-2011")
        let parts = try #require(hits.first?["parts"] as? [[String: Any]])
        #expect(parts.contains { $0["match"] as? Bool == true && $0["text"] as? String == "sincerest" }, "\(parts)")
        #expect(parts.map { $0["text"] as? String ?? "" }.joined() == hits.first?["snippet"] as? String)
        #expect(w.run(["search", "sincerest", "apologies"]).out.contains("[sincerest]"), "the table marks matches in brackets")
        let party = w.run(["search", "anonymous"])
        #expect(party.out.contains("party"))
    }

    @Test("the database is --db, else $LAPSE_DB, else $XDG_DATA_HOME/lapse/lapse.sqlite")
    func databaseLocation() throws {
        let w = try Workspace()
        let xdg = w.url.appendingPathComponent("xdg").path
        let env = ["XDG_DATA_HOME": xdg, "HOME": w.url.path]
        #expect(w.run(["party", "add", "a", "--name", "A", "--kind", "group"], environment: env, passDB: false).code == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/lapse/lapse.sqlite"))
        let explicit = w.url.appendingPathComponent("env.sqlite").path
        #expect(w.run(["party", "add", "b", "--name", "B", "--kind", "group"], environment: env.merging(["LAPSE_DB": explicit]) { $1 }, passDB: false).code == 0)
        #expect(FileManager.default.fileExists(atPath: explicit))
        #expect(w.run(["parties", "--format", "csv"], environment: ["LAPSE_DB": explicit], passDB: false).out.contains("\nb,B,group"))
        let home = w.run(["parties"], environment: ["HOME": w.url.path], passDB: false)
        #expect(home.code == 0)
        #expect(FileManager.default.fileExists(atPath: w.url.path + "/.local/share/lapse/lapse.sqlite"))
    }

    /// Every command path under `lapse`, found from the command tree itself: `["import", "table"]`...
    static func commandPaths(_ command: any ParsableCommand.Type = Lapse.self, prefix: [String] = []) -> [[String]] {
        command.configuration.subcommands.flatMap { sub -> [[String]] in
            let path = prefix + [sub.configuration.commandName ?? ""]
            return [path] + commandPaths(sub, prefix: path)
        }
    }

    @Test("every command has help with examples", arguments: commandPaths())
    func help(_ command: [String]) {
        let console = Console.capture()
        let code = LapseMain.run(command + ["--help"], console: console)
        #expect(code == 0, "lapse \(command.joined(separator: " ")) --help")
        #expect(console.output.contains("Examples:\n  "), "lapse \(command.joined(separator: " ")) --help shows no examples")
    }

    @Test("the command tree is walked whole: nested subcommands are found")
    func commandTree() {
        let paths = Self.commandPaths().map { $0.joined(separator: " ") }
        for expected in ["import", "import table", "import hibp", "report incident", "party add", "log", "generate"] {
            #expect(paths.contains(expected), "\(expected) not found")
        }
    }

    @Test("log's help shows its time option")
    func logHelp() {
        let console = Console.capture()
        _ = LapseMain.run(["log", "--help"], console: console)
        #expect(console.output.contains("--at <time>"))
    }
}
