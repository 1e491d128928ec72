import Foundation
import LapseCore
import LapseStore
import Testing
@testable import LapseApp
@testable import LapseCLI

/// A dataset under Fixtures/datasets (see its README for sources and licenses).
func dataset(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/datasets")).path
}

/// Rows of a CSV file as dictionaries by header, read with the importer's own reader.
func csvRows(_ path: String, delimiter: UInt8 = 44) throws -> [[String: String]] {
    let reader = try DelimitedReader(path: path, delimiter: delimiter)
    let header = try #require(try reader.next()).fields
    var rows: [[String: String]] = []
    while let record = try reader.next() { rows.append(Dictionary(uniqueKeysWithValues: zip(header, record.fields))) }
    return rows
}

func csvRows(text: String) throws -> [[String: String]] {
    let w = try Workspace()
    return try csvRows(try w.file("rows.csv", text))
}

let waArguments = ["import", "table", "--id-column", "Id", "--organization-column", "Name", "--id-prefix", "wa-",
                   "--event", "intrusion=DateStart", "--event", "detection=DateAware",
                   "--event", "regulator_notification=DateSubmitted", "--date-format", "MM/dd/yyyy hh:mm:ss a",
                   "--records-column", "WashingtoniansAffected", "--sector-column", "IndustryType", "--jurisdiction", "US-WA"]

@Suite("lapse import table")
struct TableImportTests {
    @Test("the WA AG file: every delay equals the state's own day count, negative ones included")
    func washingtonDelaysMatchTheState() throws {
        let w = try Workspace()
        let file = try dataset("wa-ag-breach-notifications.csv")
        let r = w.run(waArguments + [file])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("1,109 incidents"), "\(r.err)")
        let state = try csvRows(file)
        #expect(state.count == 1109)

        let pairs: [(String, String, String, Int?)] = [("detection", "regulator_notification", "DaysElapsedBeforeNotification", 1086),
                                                       ("intrusion", "detection", "DaysToIdentifyBreach", nil)]
        for (from, to, column, expected) in pairs {
            let out = w.run(["delays", "--from", from, "--to", to, "--format", "csv"])
            #expect(out.code == 0, "\(out.err)")
            let ours = try csvRows(text: out.out)
            var byID: [String: [String: String]] = [:]
            for row in ours { byID[try #require(row["incident"])] = row }
            let wanted = state.filter { !($0[column] ?? "").isEmpty }
            if let expected { #expect(wanted.count == expected, "rows with both dates") }
            #expect(ours.count == wanted.count, "\(from) → \(to): one delay per row the state computed")
            var negatives = 0
            for row in wanted {
                let id = "wa-" + row["Id"]!
                let mine = try #require(byID[id], "\(id) has no \(from) → \(to) delay")
                #expect(mine["days_min"] == row[column] && mine["days_max"] == row[column],
                        "\(id): \(mine["days_min"] ?? "")..\(mine["days_max"] ?? "") vs the state's \(row[column]!)")
                if Int(row[column]!)! < 0 { negatives += 1 }
            }
            if column == "DaysToIdentifyBreach" { #expect(negatives == 8, "the eight negative rows are kept") }
        }

        // Names become parties: one per distinct trimmed name, with slug ids.
        let fuller = w.run(["show", "wa-13574", "--format", "json"])
        #expect(fuller.out.contains("\"organization\" : \"fuller-fuller\""))
        #expect(w.run(["show", "wa-13575", "--format", "json"]).out.contains("\"organization\" : \"fuller-fuller\""))
        let unum = try #require(state.first { $0["Name"]!.contains("Unum Group") })
        #expect(unum["Name"] == "Unum Group (\"Unum\")")
        let parties = w.run(["parties", "--format", "csv"]).out
        #expect(parties.contains("unum-group-unum,\"Unum Group (\"\"Unum\"\")\",organization"))
    }

    @Test("re-importing the same file changes nothing; a dry run writes nothing and lists the plan")
    func idempotentAndDryRun() throws {
        let w = try Workspace()
        let file = try dataset("wa-ag-breach-notifications.csv")
        let dry = w.run(waArguments + [file, "--dry-run"])
        #expect(dry.code == 0, "\(dry.err)")
        #expect(dry.err.contains("nothing was written"))
        #expect(dry.out.contains("incident  wa-13574  new  3 events  Fuller & Fuller breach (13574)"))
        #expect(dry.out.contains("party     fuller-fuller  organization  Fuller & Fuller"))
        #expect(w.run(["incidents", "--format", "csv"]).out.isEmpty || w.run(["incidents", "--format", "csv"]).out.split(separator: "\n").count <= 1)

        #expect(w.run(waArguments + [file]).code == 0)
        let before = w.run(["export"]).out
        let again = w.run(waArguments + [file])
        #expect(again.code == 0)
        #expect(again.err.contains("1,109 replacing stored ones"))
        #expect(again.err.contains("0 new parties"))
        #expect(w.run(["export"]).out == before)
    }

    static let tricky = """
        id,company,found,told,records
        1,"Acme, Inc.",2024-01-02,2024-01-20,"1,200"
        2,"The ""Quoted"" Co",2024-02-03,,
        3,"Multi
        Line Corp",2024-03-04T10:15,2024-03-09,7
        4,  Acme Inc  ,2024-04,2024-05-01,0
        5,Acme Inc,,2024-06-01,12\r\n
        """

    @Test("RFC 4180 quoting, empty cells, name collisions")
    func quotingAndNames() throws {
        let w = try Workspace()
        #expect(w.run(["party", "add", "acme-inc-2", "--name", "Someone Else", "--kind", "organization"]).code == 0)
        let file = try w.file("t.csv", Self.tricky)
        let r = w.run(["import", "table", file, "--id-column", "id", "--organization-column", "company", "--id-prefix", "t-",
                       "--event", "detection=found", "--event", "regulator_notification=told", "--records-column", "records",
                       "--kind", "breach", "--kind", "ransomware", "--no-match-parties"])
        #expect(r.code == 0, "\(r.err)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(w.run(["incidents", "--format", "json"]).out.utf8)) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as! String, $0.mapValues { "\($0)" }) })
        #expect(byID["t-1"]?["organization"] == "acme-inc")
        #expect(byID["t-1"]?["records_affected"] == "1200")
        #expect(byID["t-4"]?["organization"] == "acme-inc-3", "acme-inc is Acme, Inc.; acme-inc-2 was taken by another name")
        #expect(byID["t-5"]?["organization"] == "acme-inc-3", "one party per distinct trimmed name")
        // Matching names (the default): "Acme Inc" is "Acme, Inc." once punctuation is ignored.
        let m = try Workspace()
        #expect(m.run(["party", "add", "acme-inc-2", "--name", "Someone Else", "--kind", "organization"]).code == 0)
        let matched = m.run(["import", "table", try m.file("t.csv", Self.tricky), "--id-column", "id", "--organization-column", "company",
                             "--id-prefix", "t-", "--event", "detection=found"])
        #expect(matched.err.contains("3 new parties (2 rows matched to a party of another name"), "\(matched.err)")
        #expect(m.run(["show", "t-5", "--format", "json"]).out.contains("\"organization\" : \"acme-inc\""))
        let parties = w.run(["parties", "--format", "csv"]).out
        #expect(parties.contains("the-quoted-co,\"The \"\"Quoted\"\" Co\""))
        #expect(parties.contains("multi-line-corp,\"Multi\nLine Corp\""))
        let two = w.run(["show", "t-2", "--format", "json"]).out
        #expect(two.contains("detection") && !two.contains("regulator_notification"), "an empty cell is no event")
        #expect(w.run(["show", "t-3", "--format", "json"]).out.contains("2024-03-04T10:15"))
        #expect(w.run(["show", "t-5", "--format", "json"]).out.contains("\"ransomware\""))
    }

    @Test("a bad cell fails the whole import naming file, line, column and value")
    func badCellFailsAll() throws {
        let w = try Workspace()
        let file = try w.file("bad.csv", "id,org,seen\n1,A,2024-01-02\n2,B,2024-02-30\n3,C,yesterday\n")
        let r = w.run(["import", "table", file, "--id-column", "id", "--organization-column", "org", "--event", "detection=seen"])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file):3: column seen: \"2024-02-30\" is not a valid time"), "\(r.err)")
        #expect(r.err.contains("\(file):4: column seen: \"yesterday\""), "every bad row is reported")
        #expect(r.err.contains("nothing was written"))
        #expect(w.run(["parties", "--format", "csv"]).out.split(separator: "\n").count <= 1, "no party either")

        let rejects = w.url.appendingPathComponent("rejects.txt").path
        let skip = w.run(["import", "table", file, "--id-column", "id", "--organization-column", "org", "--event", "detection=seen",
                          "--skip-invalid", "--rejects", rejects])
        #expect(skip.code == 0, "\(skip.err)")
        #expect(skip.err.contains("Rejected 2 records (report in \(rejects))"), "\(skip.err)")
        let report = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(report.contains("\(file):3: column seen: \"2024-02-30\""))
        #expect(report.contains("\(file):4: column seen"))
        #expect(w.run(["incidents", "--format", "csv"]).out.contains("\n1,"))

        let toStderr = w.run(["import", "table", file, "--id-column", "id", "--organization-column", "org", "--event", "detection=seen", "--skip-invalid"])
        #expect(toStderr.err.contains("lapse: rejected: \(file):3"), "never silent")
    }

    @Test("with --skip-invalid, a rejected record leaves no organization of its own behind")
    func rejectedRecordsLeaveNoParty() throws {
        let w = try Workspace()
        // Row 3 gives id 1 again, for a new organization: it is rejected, and "Beta" never appears.
        let file = try w.file("dup.csv", "id,org,seen\n1,Alpha,2024-01-02\n1,Beta,2024-01-03\n2,Alpha,2024-02-01\n3,Gamma,2024-03-01\n")
        let r = w.run(["import", "table", file, "--id-column", "id", "--organization-column", "org", "--event", "detection=seen", "--skip-invalid"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("\(file):3: id: incident id \"1\" is given twice"), "\(r.err)")
        #expect(r.err.contains("2 new parties"), "\(r.err)")
        let parties = w.run(["parties", "--format", "csv"]).out
        #expect(parties.contains("alpha,Alpha"))
        #expect(parties.contains("gamma,Gamma"))
        #expect(!parties.contains("Beta"), "\(parties)")
    }

    @Test("bad mappings are command-line errors", arguments: [
        (["--event", "breakfast=seen"], Int32(64), "breakfast"),
        (["--event", "detection"], 64, "TYPE=COLUMN"),
        (["--event", "detection=nope"], 65, "no column \"nope\"; the columns are: id, org, seen"),
        (["--event", "detection=seen", "--date-format", "dd/MM"], 64, "has no year"),
        (["--event", "detection=seen", "--date-format", "yyyy-MM-dd hh:mm"], 64, "AM/PM"),
        (["--event", "detection=seen", "--delimiter", "ab"], 64, "--delimiter"),
    ])
    func badMappings(_ extra: [String], _ code: Int32, _ message: String) throws {
        let w = try Workspace()
        let file = try w.file("m.csv", "id,org,seen\n1,A,2024-01-02\n")
        let r = w.run(["import", "table", file, "--id-column", "id", "--organization-column", "org"] + extra)
        #expect(r.code == code, "\(r.err)")
        #expect(r.err.contains(message), "\(r.err)")
    }

    @Test("TSV by extension or --delimiter")
    func tabs() throws {
        let w = try Workspace()
        let file = try w.file("t.tsv", "id\torg\tseen\n1\tA, B\t2024-01-02\n")
        #expect(w.run(["import", "table", file, "--id-column", "id", "--organization-column", "org", "--event", "detection=seen"]).code == 0)
        #expect(w.run(["parties", "--format", "csv"]).out.contains("a-b,\"A, B\""))
        let semi = try w.file("s.txt", "id;org;seen\n2;C;03.02.2024 14:30\n")
        let r = w.run(["import", "table", semi, "--delimiter", ";", "--id-column", "id", "--organization-column", "org",
                       "--event", "detection=seen", "--date-format", "dd.MM.yyyy HH:mm", "--timezone", "Europe/Berlin"])
        #expect(r.code == 0, "\(r.err)")
        #expect(w.run(["show", "2", "--format", "json"]).out.contains("2024-02-03T14:30"))
    }
}

@Suite("Counts in tables")
struct TableCountTests {
    @Test("digits, or thousands grouped by one separator; lists and decimal commas are not counts", arguments: [
        ("0", 0), ("1200", 1200), ("1,200", 1200), ("1_200_000", 1_200_000), ("77,000,000", 77_000_000), ("999", 999),
        ("1,2,3", nil), ("12,34", nil), ("1,2000", nil), (",200", nil), ("1,200,", nil), ("1,200_000", nil),
        ("-5", nil), ("1.5", nil), ("1 200", nil), ("12a", nil),
    ] as [(String, Int?)])
    func counts(_ text: String, _ expected: Int?) {
        #expect(TableImporter.count(text) == expected)
    }
}

@Suite("Date patterns")
struct DatePatternTests {
    @Test("cells read with a pattern", arguments: [
        ("MM/dd/yyyy hh:mm:ss a", "03/02/2023 12:00:00 AM", "2023-03-02"),
        ("MM/dd/yyyy hh:mm:ss a", "03/02/2023 12:30:00 PM", "2023-03-02T12:30"),
        ("MM/dd/yyyy hh:mm:ss a", "03/02/2023 01:05:00 pm", "2023-03-02T13:05"),
        ("M/d/yyyy", "3/2/2023", "2023-03-02"),
        ("dd MMM yyyy", "04 Oct 2013", "2013-10-04"),
        ("MMMM yyyy", "October 2013", "2013-10"),
        ("yyyy", "2013", "2013"),
        ("yyyy-MM-dd'T'HH:mm:ssXXX", "2013-10-04T10:00:00+02:00", "2013-10-04T10:00:00+02:00"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSX", "2013-10-04T10:00:00.123Z", "2013-10-04T10:00:00Z"),
        ("yyyy-MM-dd HH:mm:ss", "2013-10-04 00:00:00", "2013-10-04"),
    ])
    func reads(_ pattern: String, _ cell: String, _ expected: String) throws {
        let time = try DatePattern(pattern).parse(cell).get()
        #expect(time.description == expected)
    }

    @Test("cells that do not match", arguments: [
        ("MM/dd/yyyy", "02/30/2023", "does not exist"),
        ("MM/dd/yyyy", "13/01/2023", "month"),
        ("MM/dd/yyyy", "2023-01-01", "month"),
        ("MM/dd/yyyy", "01/01/2023 extra", "unexpected"),
        ("hh:mm a dd/MM/yyyy", "13:00 AM 01/01/2023", "hour 1-12"),
        ("yyyy-MM-dd'T'HH:mmXXX", "2013-10-04T10:00+05:75", "offset minutes 75 are not 00-59"),
        ("yyyy-MM-dd'T'HH:mmXX", "2013-10-04T10:00-0560", "offset minutes 60 are not 00-59"),
        ("yyyy-MM-dd'T'HH:mmXXX", "2013-10-04T10:00+15:00", "at most ±14:00"),
    ])
    func mismatches(_ pattern: String, _ cell: String, _ reason: String) throws {
        guard case .failure(let mismatch) = try DatePattern(pattern).parse(cell) else {
            Issue.record("\(cell) should not match \(pattern)")
            return
        }
        #expect(mismatch.reason.contains(reason), "\(mismatch.reason)")
    }
}

@Suite("lapse import veris")
struct VerisImportTests {
    func imported() throws -> Workspace {
        let w = try Workspace()
        let r = w.run(["import", "veris", try dataset("vcdb-sample.jsonl")])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("25 incidents"), "\(r.err)")
        return w
    }

    func incident(_ w: Workspace, _ id: String) throws -> [String: Any] {
        let r = w.run(["show", id, "--format", "json"])
        #expect(r.code == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        return try #require(json["incident"] as? [String: Any])
    }

    func events(_ incident: [String: Any]) -> [[String: Any]] { incident["events"] as? [[String: Any]] ?? [] }

    @Test("facts from the real records")
    func facts() throws {
        let w = try imported()
        // Line 1: the Department of Veterans Affairs, intrusion on 2010-04-09, one record.
        let va = try incident(w, "veris-0001aa7f-c601-424a-b2b8-be6c9f5164e7")
        #expect(va["organization"] as? String == "united-states-department-of-veterans-affairs")
        #expect(events(va).first?["type"] as? String == "intrusion")
        #expect(events(va).first?["at"] as? String == "2010-04-09")
        #expect(va["records_affected"] as? Int == 1)
        #expect(va["jurisdictions"] as? [String] == ["US", "US-MO"])
        #expect((va["summary"] as? String)?.hasPrefix("A billing clerk filed a claim") == true)
        let parties = w.run(["parties", "--format", "csv"]).out
        #expect(parties.contains("united-states-department-of-veterans-affairs,United States Department of Veterans Affairs,organization"))
        #expect(parties.components(separatedBy: "Veterans Affairs,").count == 2, "five VA records, one party")
        #expect(parties.contains("machon-mor-medical-center,Machon Mor medical center,organization"), "names are trimmed")
        #expect(parties.contains("cl0p-ransomware-group,Cl0p ransomware group,group"))
        #expect(!parties.contains("6a323cb8"), "an actor name that is a record id is not a group")

        // Line 2: year-only intrusion, full-date notification, a reference with a trailing space.
        let jobmatch = try incident(w, "veris-0012cc25-9167-40d8-8fe3-3d0dfd8fb6bb")
        let types = events(jobmatch).map { "\($0["type"]!) \($0["at"]!)" }
        #expect(types == ["intrusion 2012", "disclosure 2012-12-10"])
        #expect(jobmatch["jurisdictions"] as? [String] == ["GB"])
        let sources = (events(jobmatch).first?["sources"] as? [[String: Any]])?.compactMap { $0["url"] as? String }
        #expect(sources == ["http://www.publicservice.co.uk/news_story.asp?id=21676"])

        // Line 3: month-precision notification is kept as a month.
        #expect(events(try incident(w, "veris-00224226-4a39-435c-bffd-672b5d61c7c1")).map { $0["at"] as? String } == ["2013", "2013-09"])

        // Line 7: several references, split on "; ".
        let penn = try incident(w, "veris-00c84d6a-cdb8-4a5b-a1a6-0d75a65274d7")
        let urls = (events(penn).first?["sources"] as? [[String: Any]])?.compactMap { $0["url"] as? String } ?? []
        #expect(urls.count >= 2, "\(urls)")
        #expect(urls.allSatisfy { $0.hasPrefix("http") && !$0.contains(" ") && !$0.contains(";") })
        #expect(penn["records_affected"] as? Int == 661)

        // Line 11: discovery one month after 2018-05-19 is an approximate detection in 2018-06.
        let pdq = try incident(w, "veris-00fd327e-6929-4b23-9c52-763bdee14080")
        #expect(events(pdq).map { "\($0["type"]!) \($0["at"]!)" } == ["intrusion 2018-05-19", "detection 2018-06~", "disclosure 2018-06"])

        // Line 18: discovery in "Weeks" without a value cannot be placed: no detection.
        let all = w.run(["delays", "--from", "intrusion", "--to", "detection", "--format", "csv"]).out
        #expect(try csvRows(text: all).map { $0["incident"]! } == ["veris-00fd327e-6929-4b23-9c52-763bdee14080"])

        // The MOVEit victims name the Cl0p group on the intrusion.
        let moveit = w.run(["incidents", "--company", "university", "--format", "csv"]).out
        #expect(moveit.contains("CORNELL UNIVERSITY"))
        #expect(w.run(["show", "veris-025967ff-63cd-47bd-96d7-c602c0747479"]).out.contains("Black Shadow"))
    }

    @Test("one JSON file per incident, a folder of them, and re-imports change nothing")
    func filesAndFolders() throws {
        let w = try Workspace()
        let folder = w.url.appendingPathComponent("validated")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: try dataset("vcdb-sample.jsonl"), encoding: .utf8).split(separator: "\n")
        for (i, line) in lines.prefix(4).enumerated() {
            try String(line).write(to: folder.appendingPathComponent("r\(i).\(i == 0 ? "JSON" : "json")"), atomically: true, encoding: .utf8)
        }
        #expect(w.run(["import", "veris", folder.appendingPathComponent("r0.JSON").path]).code == 0)
        let r = w.run(["import", "veris", folder.path])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("4 incidents"))
        let before = w.run(["export"]).out
        #expect(w.run(["import", "veris", folder.path]).code == 0)
        #expect(w.run(["export"]).out == before)
    }

    @Test("broken records are named by file and line; --skip-invalid keeps the rest")
    func brokenRecords() throws {
        let w = try Workspace()
        let good = try String(contentsOfFile: try dataset("vcdb-sample.jsonl"), encoding: .utf8).split(separator: "\n")[0]
        let file = try w.file("v.jsonl", "\(good)\n{\"incident_id\": \"x1\", \"timeline\": {\"incident\": {\"year\": 2020, \"month\": 2, \"day\": 30}}}\n{not json\n")
        let r = w.run(["import", "veris", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file):2: timeline.incident.day: day 30 does not exist"), "\(r.err)")
        #expect(r.err.contains("\(file):3"), "\(r.err)")
        let skip = w.run(["import", "veris", file, "--skip-invalid"])
        #expect(skip.code == 0)
        #expect(skip.err.contains("1 incident,"), "\(skip.err)")
        #expect(skip.err.contains("Rejected 2 records"))
    }
}

@Suite("lapse import hibp")
struct HIBPImportTests {
    @Test("breaches from the API v3 schema, descriptions as safe plain text")
    func breaches() throws {
        let w = try Workspace()
        let r = w.run(["import", "hibp", try dataset("hibp-breaches.json")])
        #expect(r.code == 0, "\(r.err)")
        let show = w.run(["show", "hibp-adobe", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
        let adobe = try #require(json["incident"] as? [String: Any])
        #expect(adobe["records_affected"] as? Int == 152_445_165)
        #expect(adobe["organization"] as? String == "adobe")
        #expect((adobe["tags"] as? [String])?.contains("Password hints") == true)
        #expect((adobe["tags"] as? [String])?.contains("hibp:verified") == true)
        let events = try #require(adobe["events"] as? [[String: Any]])
        #expect(events.map { "\($0["type"]!) \($0["at"]!)" } == ["intrusion 2013-10-04", "other 2013-12-04T00:00:00Z"])
        #expect(events[1]["party"] as? String == "have-i-been-pwned")
        let urls = (events[0]["sources"] as? [[String: Any]])?.compactMap { $0["url"] as? String } ?? []
        #expect(urls.contains("http://www.troyhunt.com/2013/11/adobe-credentials-and-serious.html"))
        let summary = try #require(adobe["summary"] as? String)
        #expect(summary.contains("username, email, encrypted password and a password hint"))
        #expect(!summary.contains("<"))

        let forum = w.run(["show", "hibp-exampleforum", "--format", "json"]).out
        #expect(forum.contains("the forum \\\"Example Forum\\\" & its mobile app were breached. Data was shared on a hacking forum — see the notice."))
        #expect(!forum.contains("alert"), "script content is dropped")
        #expect(!forum.contains("\\u001b"), "terminal escapes are dropped")
        #expect(forum.contains("&unknown;"), "unknown entities stay as text")
        #expect(forum.contains("hibp:sensitive"))
        let again = w.run(["import", "hibp", try dataset("hibp-breaches.json")])
        #expect(again.err.contains("0 new parties"), "\(again.err)")
    }

    @Test("a breach without a usable date is rejected by its index and field")
    func badBreach() throws {
        let w = try Workspace()
        let file = try w.file("b.json", #"[{"Name": "X", "Title": "X", "BreachDate": "sometime", "AddedDate": "2020-01-01T00:00:00Z"}]"#)
        let r = w.run(["import", "hibp", file])
        #expect(r.code == 65)
        #expect(r.err.contains("\(file): [0].BreachDate: \"sometime\" is not a date"), "\(r.err)")
    }
}

@Suite("Import progress")
struct ProgressTests {
    @Test("a bar on a terminal after the delay, nothing elsewhere")
    func progress() {
        let terminal = Console.capture(terminal: true)
        let bar = ProgressMeter(console: terminal, total: 10, delay: 0)
        bar.update(5)
        bar.finish()
        #expect(terminal.errorOutput.contains("50%"))
        #expect(terminal.output.isEmpty, "never on standard output")
        let pipe = Console.capture(terminal: false)
        let quiet = ProgressMeter(console: pipe, total: 10, delay: 0)
        quiet.update(5)
        #expect(pipe.errorOutput.isEmpty)
        let quick = Console.capture(terminal: true)
        ProgressMeter(console: quick, total: 10).update(5)
        #expect(quick.errorOutput.isEmpty, "nothing in the first second")
    }

    @Test("a lapse/1 import reports how far it has read, in order, up to the end of each file")
    func importProgress() throws {
        let workspace = try Workspace()
        let generated = workspace.run(["generate", "--incidents", "400", "--seed", "3"], passDB: false)
        #expect(generated.code == 0)
        let lines = try workspace.file("data.jsonl", generated.out)
        let document = try workspace.file("one.json", try String(contentsOfFile: sampleData + "/uber-2016.json", encoding: .utf8))
        let db = try LapseDatabase.open(path: workspace.db)
        var reported: [(file: String, bytes: Int)] = []
        _ = try RecordImport(store: db).run(ImportSettings(), reportRejects: { _ in }) { runner in
            for path in [lines, document] {
                try DocumentReader.read(path, into: runner) { reported.append((path, $0)) }
            }
        }
        let onLines = reported.filter { $0.file == lines }.map(\.bytes)
        #expect(onLines.count > 2, "a long file reports as it goes, not only at the end")
        #expect(onLines == onLines.sorted())
        #expect(onLines.last == DocumentReader.fileSize(lines))
        #expect(reported.filter { $0.file == document }.map(\.bytes) == [DocumentReader.fileSize(document)])
    }
}
