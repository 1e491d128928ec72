import Foundation
import LapseReports
import Testing
@testable import LapseCLI

/// A workspace holding the Washington AG list, imported as Docs/importing.md shows.
/// With `matchParties` false, every distinct name is its own party, near-duplicates included.
func washingtonWorkspace(matchParties: Bool = true) throws -> (Workspace, [[String: String]]) {
    let w = try Workspace()
    let file = try dataset("wa-ag-breach-notifications.csv")
    let r = w.run(waArguments + [file] + (matchParties ? [] : ["--no-match-parties"]))
    #expect(r.code == 0, "\(r.err)")
    return (w, try csvRows(file))
}

func ids(_ csv: String, column: String = "id") throws -> [String] {
    try csvRows(text: csv).map { $0[column] ?? "" }
}

@Suite("the query model on the Washington AG list")
struct QueryTests {
    @Test("the ten slowest notifications come from one command, matching the state's own day counts")
    func slowest() throws {
        let (w, state) = try washingtonWorkspace()
        let r = w.run(["delays", "--from", "detection", "--to", "regulator_notification", "--sort", "days", "--desc", "--limit", "10", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        let rows = try csvRows(text: r.out)
        #expect(rows.count == 10)
        let days = state.compactMap { Int($0["DaysElapsedBeforeNotification"] ?? "") }.sorted(by: >)
        #expect(rows.map { Int($0["days_min"] ?? "") } == days.prefix(10).map(Optional.some))
        #expect(rows.first?["incident"] == "wa-16568" && rows.first?["days_min"] == "1043")
        // Ascending, the quickest first; the limit cuts after sorting.
        let quick = try csvRows(text: w.run(["delays", "--from", "detection", "--to", "regulator_notification", "--sort", "days", "--limit", "3", "--format", "csv"]).out)
        #expect(quick.map { Int($0["days_min"] ?? "") } == days.reversed().prefix(3).map(Optional.some))
        let bad = w.run(["delays", "--sort", "speed"])
        #expect(bad.code == 64 && bad.err.contains("--sort: unknown key \"speed\"; expected one of days, incident"), "\(bad.err)")
        #expect(w.run(["incidents", "--limit", "0"]).err.contains("--limit: expected a number of rows, 1 or more"))
    }

    @Test("names as people type them find their rows", arguments: [
        ("Uber Technologies", ["wa-9627", "wa-9752"]),
        ("uber technologies inc", ["wa-9627", "wa-9752"]),
        ("T-Mobile", ["wa-9591", "wa-10856", "wa-14503"]),
        ("T Mobile", ["wa-9591", "wa-10856", "wa-14503"]),
        ("t-mobile us, inc.", ["wa-9591", "wa-10856", "wa-14503"]),
        ("equifax inc", ["wa-9735"]),
        ("EQUIFAX", ["wa-9735"]),
        ("Humana", ["wa-10406", "wa-13823", "wa-16506"]),
        ("inc", []),
        ("son", []),
        ("uber tech", ["wa-9627", "wa-9752"]),
    ])
    func companyNames(query: String, expected: [String]) throws {
        let (w, _) = try washingtonWorkspace()
        let r = w.run(["incidents", "--company", query, "--format", "csv", "--sort", "id"])
        #expect(r.code == 0, "\(r.err)")
        #expect(try ids(r.out) == expected)
    }

    @Test("report company resolves to one party and is titled with its name; an ambiguous name exits 65 listing the candidates")
    func reportCompany() throws {
        let (w, _) = try washingtonWorkspace(matchParties: false)
        let health = w.run(["report", "company", "health"])
        #expect(health.code == 65)
        #expect(health.err.contains("\"health\" matches 52 companies") && health.err.contains("banner-health  Banner Health  (word)"), "\(health.err)")
        #expect(health.out.isEmpty)

        let humana = w.run(["report", "company", "Humana, Inc.", "--format", "json"])
        #expect(humana.code == 0, "\(humana.err)")
        #expect(humana.out.contains("\"company\" : \"Humana, Inc.\""))
        #expect(humana.out.contains("wa-13823") && !humana.out.contains("wa-10406"), "one party, not every Humana")

        // The exact name wins over the normalised one.
        let exact = w.run(["report", "company", "humana", "--format", "json"])
        #expect(exact.code == 0 && exact.out.contains("wa-10406") && !exact.out.contains("wa-13823"), "\(exact.err)")
        let both = w.run(["report", "company", "humana inc", "--format", "json"])
        #expect(both.code == 65, "\(both.err)")
        #expect(both.err.contains("\"humana inc\" matches 3 companies") && both.err.contains("humana-inc  Humana, Inc.  (normalised name)")
                && both.err.contains("--all-matches"), "\(both.err)")
        let all = w.run(["report", "company", "humana", "--all-matches", "--format", "json"])
        #expect(all.code == 0 && all.out.contains("wa-10406") && all.out.contains("wa-13823") && all.out.contains("wa-16506"))
        #expect(w.run(["report", "company", "nintendo"]).code == 65)
    }

    @Test("sector, jurisdiction, records and the date of another event select as the state's columns say")
    func filters() throws {
        let (w, state) = try washingtonWorkspace()
        func count(_ args: [String]) throws -> Int {
            let r = w.run(["incidents", "--format", "csv"] + args)
            #expect(r.code == 0, "\(r.err)")
            return try csvRows(text: r.out).count
        }
        #expect(try count(["--sector", "HEALTH"]) == state.count { $0["IndustryType"] == "Health" })
        #expect(try count(["--jurisdiction", "US"]) == 1109)
        #expect(try count(["--jurisdiction", "us-wa"]) == 1109)
        #expect(try count(["--jurisdiction", "US-CA"]) == 0)
        #expect(try count(["--min-records", "100000"]) == state.count { (Int($0["WashingtoniansAffected"] ?? "") ?? 0) >= 100_000 })
        let noticed2023 = state.count { ($0["DateSubmitted"] ?? "").contains("/2023 ") }
        #expect(try count(["--date-of", "regulator_notification", "--since", "2023", "--until", "2023"]) == noticed2023)
        #expect(try count(["--since", "2023", "--until", "2023"]) != noticed2023, "the first event is another date")
        #expect(w.run(["incidents", "--min-records", "-5"]).code == 64)
    }

    @Test("stats by the year of the regulator notice count each notice in its year")
    func statsByNoticeYear() throws {
        let (w, state) = try washingtonWorkspace()
        let r = w.run(["stats", "--metric", "time-to-notify-regulator", "--by", "year", "--date-of", "regulator_notification", "--format", "csv"])
        #expect(r.code == 0, "\(r.err)")
        var expected: [String: Int] = [:]
        for row in state where !(row["DaysElapsedBeforeNotification"] ?? "").isEmpty {
            let submitted = row["DateSubmitted"]!
            let year = String(submitted[submitted.index(submitted.startIndex, offsetBy: 6)..<submitted.index(submitted.startIndex, offsetBy: 10)])
            expected[year, default: 0] += 1
        }
        let rows = try csvRows(text: r.out)
        var ours: [String: Int] = [:]
        for row in rows { ours[try #require(row["year"])] = Int(try #require(row["count"])) }
        #expect(ours == expected)
    }

    @Test("deadlines over all 1,109 incidents: the AG notice judged by DateSubmitted, the residents' notice unknown, with a summary per rule")
    func washingtonDeadlines() throws {
        let (w, state) = try washingtonWorkspace()
        let r = w.run(["deadlines", "--format", "csv", "--as-of", "2026-01-01"])
        #expect(r.code == 0, "\(r.err)")
        var verdicts: [String: String] = [:]
        for row in try csvRows(text: r.out) { verdicts["\(row["incident"] ?? "") \(row["rule"] ?? "")"] = row["status"] }

        // The state's own columns, read as the law reads them: 45 days from discovery from
        // 2015-07-24, 30 from 2020-03-01, more than 500 residents.
        func day(_ text: String) -> String? {   // MM/dd/yyyy ... → yyyy-MM-dd
            guard text.count >= 10 else { return nil }
            let c = Array(text)
            return String(c[6..<10]) + "-" + String(c[0..<2]) + "-" + String(c[3..<5])
        }
        var expected: [String: String] = [:], residents: [String: String] = [:]
        for row in state {
            let id = "wa-" + (row["Id"] ?? "")
            let inScope = (Int(row["WashingtoniansAffected"] ?? "") ?? 0) > 500
            guard let aware = day(row["DateAware"] ?? "") else {
                expected[id] = inScope ? "not_started" : "not_applicable"; residents[id] = "not_started"; continue
            }
            residents[id] = aware < "2015-07-24" ? "not_in_force" : "unknown"
            if !inScope { expected[id] = "not_applicable"; continue }
            if aware < "2015-07-24" { expected[id] = "not_in_force"; continue }
            let limit = aware >= "2020-03-01" ? 30 : 45
            let days = try #require(Int(row["DaysElapsedBeforeNotification"] ?? ""), "\(id) has both dates")
            expected[id] = days <= limit ? "met" : "missed"
        }
        var agreed = 0
        for (id, status) in expected where status != "not_applicable" {
            #expect(verdicts["\(id) us-wa-19.255-ag"] == status, "\(id): \(verdicts["\(id) us-wa-19.255-ag"] ?? "none") vs \(status)")
            agreed += 1
        }
        for (id, status) in residents { #expect(verdicts["\(id) us-wa-19.255"] == status, "\(id) residents") }
        let met = expected.values.count { $0 == "met" }, missed = expected.values.count { $0 == "missed" }
        #expect(met == 311 && missed == 740, "met \(met), missed \(missed)")
        #expect(agreed > 1000)

        let table = w.run(["deadlines", "--as-of", "2026-01-01"])
        #expect(table.out.contains("Summary per rule over 1,109 incidents:"))
        let summary = try #require(table.out.split(separator: "\n").first { $0.hasPrefix("us-wa-19.255-ag ") && $0.contains("%") })
        #expect(summary.contains("1109") && summary.contains("311 (28 %)") && summary.contains("740 (66.7 %)"), "\(summary)")
        let residentsLine = try #require(table.out.split(separator: "\n").first { $0.hasPrefix("us-wa-19.255 ") && $0.contains("%") })
        #expect(residentsLine.contains("0 (0 %)") && residentsLine.contains("1081 (97.5 %)"), "\(residentsLine)")
        // With --count-to-now, the unrecorded residents' notices count as missed, late to that day.
        let counted = try csvRows(text: w.run(["deadlines", "wa-9735", "--rule", "us-wa-19.255", "--count-to-now", "--as-of", "2026-01-01", "--format", "csv"]).out)
        #expect(counted.first?["status"] == "missed")
    }

    @Test("parties --duplicates finds the WA list's near-duplicates; merging moves their incidents, names become aliases")
    func mergeDuplicates() throws {
        let (w, _) = try washingtonWorkspace(matchParties: false)
        let dups = w.run(["parties", "--duplicates", "--format", "csv"])
        #expect(dups.code == 0, "\(dups.err)")
        let rows = try csvRows(text: dups.out)
        let humana = rows.filter { ($0["name"] ?? "").hasPrefix("Humana") }.map { $0["id"] ?? "" }
        #expect(humana == ["humana", "humana-inc"], "Humana, Inc. (Welltok, Inc.) is another name")
        #expect(Set(rows.filter { $0["group"] == rows.first { $0["id"] == "uber-technologies" }?["group"] }.map { $0["id"] ?? "" })
                == ["uber-technologies", "uber-technologies-inc"])

        let merged = w.run(["party", "merge", "uber-technologies-inc", "--into", "uber-technologies"])
        #expect(merged.code == 0, "\(merged.err)")
        #expect(merged.out.contains("Merged 1 party into uber-technologies (Uber Technologies): 1 incident, 0 events"), "\(merged.out)")
        let incidents = try csvRows(text: w.run(["incidents", "--company", "uber-technologies", "--format", "csv"]).out)
        #expect(incidents.map { $0["id"] ?? "" }.sorted() == ["wa-9627", "wa-9752"])
        #expect(incidents.allSatisfy { $0["organization"] == "Uber Technologies" })
        let party = w.run(["parties", "--format", "json"]).out
        #expect(party.contains("\"Uber Technologies, Inc.\""), "the duplicate's name is an alias")
        #expect(!w.run(["parties", "--format", "csv"]).out.contains("uber-technologies-inc,"), "the duplicate is gone")
        #expect(w.run(["report", "company", "Uber Technologies, Inc.", "--format", "json"]).out.contains("\"company\" : \"Uber Technologies\""),
                "the alias resolves to the kept party")
        #expect(!(try csvRows(text: w.run(["parties", "--duplicates", "--format", "csv"]).out)).contains { $0["id"] == "uber-technologies" })

        // Unknown ids and self-merges are refused; nothing is written.
        let unknown = w.run(["party", "merge", "humana-inc", "nobody", "--into", "humana"])
        #expect(unknown.code == 65 && unknown.err.contains("no party with id \"nobody\""), "\(unknown.err)")
        #expect(w.run(["incidents", "--company", "humana-inc", "--format", "csv"]).out.contains("wa-13823"), "the failed merge wrote nothing")
        #expect(w.run(["party", "merge", "humana", "--into", "humana"]).code == 64)
        #expect(w.run(["party", "merge", "--into", "humana"]).code == 64)
    }

    @Test("a merge moves events, statements, subsidiaries and a parent chain through the duplicate")
    func mergeMovesEverything() throws {
        let w = try Workspace()
        let doc = """
            {"format": "lapse/1",
             "parties": [{"id": "acme", "name": "Acme", "kind": "organization"},
                         {"id": "acme-inc", "name": "Acme, Inc.", "kind": "organization", "aliases": ["ACME"], "sector": "Retail", "parent": "acme"},
                         {"id": "acme-cloud", "name": "Acme Cloud", "kind": "organization", "parent": "acme-inc"},
                         {"id": "jo", "name": "Jo Doe", "kind": "person", "affiliation": "acme-inc"}],
             "incidents": [{"id": "a-1", "title": "A", "organization": "acme-inc", "kinds": ["breach"],
                            "events": [{"type": "detection", "at": "2024-01-02", "party": "acme-inc"},
                                       {"type": "statement", "at": "2024-01-03", "party": "acme-inc", "quote": "We take security seriously."}]}]}
            """
        #expect(w.run(["import", try w.file("acme.json", doc)]).code == 0)
        let r = w.run(["party", "merge", "acme-inc", "--into", "acme"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("1 incident, 2 events, 2 subsidiaries or affiliations moved; 2 aliases added"), "\(r.out)")
        let show = w.run(["show", "a-1", "--format", "json"]).out
        #expect(show.contains("\"organization\" : \"acme\"") && !show.contains("acme-inc"))
        let parties = w.run(["parties", "--format", "csv"]).out
        #expect(parties.contains("acme,Acme,organization,Acme Inc.; ACME") || parties.contains("acme,Acme,organization,\"Acme, Inc.; ACME\""), "\(parties)")
        #expect(parties.contains("acme-cloud,Acme Cloud,organization,,acme,"), "\(parties)")
        #expect(parties.contains("jo,Jo Doe,person,,,acme,"), "\(parties)")
        #expect(parties.contains(",Retail"), "the kept party takes the sector it lacked")
        #expect(!parties.contains("acme-inc,"))
    }

    @Test("a table import attaches a row to the party whose name matches once punctuation and legal forms are ignored, and says how many")
    func importMatchesParties() throws {
        let w = try Workspace()
        let file = try dataset("wa-ag-breach-notifications.csv")
        let r = w.run(waArguments + [file])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.err.contains("1,065 new parties (8 rows matched to a party of another name by normalised name"), "\(r.err)")
        let humana = try csvRows(text: w.run(["show", "wa-13823", "--format", "csv"]).out)
        #expect(!humana.isEmpty)
        #expect(w.run(["show", "wa-13823", "--format", "json"]).out.contains("\"organization\" : \"humana\""), "Humana, Inc. joins Humana")
        #expect(w.run(["show", "wa-9627", "--format", "json"]).out.contains("\"organization\" : \"uber-technologies-inc\""),
                "Uber Technologies joins Uber Technologies, Inc., which came first in the file")
        #expect(w.run(["show", "wa-16506", "--format", "json"]).out.contains("\"organization\" : \"humana-inc-welltok-inc\""), "another name stays apart")
        #expect(w.run(["parties", "--duplicates", "--format", "csv"]).out.split(separator: "\n").count <= 1, "no duplicates left")
        let again = w.run(waArguments + [file])
        #expect(again.err.contains("0 new parties (8 rows matched"), "\(again.err)")

        let apart = try Workspace()
        let separate = apart.run(waArguments + [file, "--no-match-parties"])
        #expect(separate.err.contains("1,072 new parties into"), "\(separate.err)")
        #expect(apart.run(["show", "wa-13823", "--format", "json"]).out.contains("\"organization\" : \"humana-inc\""))
    }

    @Test("hours where hours matter: a 49-minute outage is 49 minutes in stats and show, not 0 days")
    func hours() throws {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let doc = """
            {"format": "lapse/1", "parties": [{"id": "acme", "name": "Acme", "kind": "organization"}],
             "incidents": [{"id": "blip", "title": "Acme blip", "organization": "acme", "kinds": ["outage"],
               "events": [{"type": "outage_start", "at": "2024-05-06T10:00:00Z"}, {"type": "outage_end", "at": "2024-05-06T10:49:00Z"}]}]}
            """
        #expect(w.run(["import", try w.file("blip.json", doc)]).code == 0)
        let stats = try csvRows(text: w.run(["stats", "--metric", "outage-duration", "--company", "acme", "--format", "csv"]).out)
        #expect(stats.first?["unit"] == "hours", "a metric under three days is in hours")
        #expect(stats.first?["median"] == "0.8")
        let json = w.run(["stats", "--metric", "outage-duration", "--company", "acme", "--unit", "days", "--format", "json"]).out
        #expect(json.contains("\"unit\" : \"days\""))
        let days = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(abs((days.first?["median"] as? Double ?? 0) - 49.0 / 1440) < 1e-9, "49 minutes, not 0 days")

        // The Facebook outage of 4 October 2021 (real): 15:39 to about 22:34 UTC, 6.92 hours.
        let facebook = try csvRows(text: w.run(["delays", "facebook-2021-outage", "--metric", "outage-duration", "--format", "csv"]).out)
        let hours = try #require(Double(facebook.first?["hours"] ?? ""))
        let all = try csvRows(text: w.run(["stats", "--metric", "outage-duration", "--unit", "hours", "--format", "csv"]).out)
        #expect(all.first?["min"] == formatDecimal(0.82, places: 1) && all.first?["count"] == "4", "\(all)")
        let byHours = try csvRows(text: w.run(["stats", "--metric", "outage-duration", "--company", "facebook", "--unit", "hours", "--format", "csv"]).out)
        #expect(byHours.first?["median"] == formatDecimal(hours, places: 1))
        #expect(w.run(["stats", "--unit", "weeks"]).code == 64)

        let show = w.run(["show", "blip"]).out
        #expect(show.contains("2024-05-06T10:00:00Z   +0 min  Outage start"), "\(show)")
        #expect(show.contains("2024-05-06T10:49:00Z  +49 min  Outage end"), "\(show)")
        let facebookShow = w.run(["show", "facebook-2021-outage"]).out
        #expect(facebookShow.contains("+4 h 13 min  Apology"), "\(facebookShow)")
        #expect(facebookShow.contains("+1 d  Statement"))
    }

    @Test("report all, check and export take the same query as incidents")
    func sameQueryEverywhere() throws {
        let (w, state) = try washingtonWorkspace()
        let since2023 = try csvRows(text: w.run(["incidents", "--since", "2023", "--format", "csv"]).out).count
        #expect(since2023 > 0 && since2023 < state.count)
        let report = w.run(["report", "all", "--since", "2023", "--format", "json"])
        #expect(report.code == 0, "\(report.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.out.utf8)) as? [String: Any])
        #expect(object["incident_count"] as? Int == since2023)
        let big = state.count { (Int($0["WashingtoniansAffected"] ?? "") ?? 0) >= 1_000_000 }
        let export = w.run(["export", "--min-records", "1000000", "--format", "csv"])
        #expect(export.code == 0, "\(export.err)")
        #expect(Set(try csvRows(text: export.out).map { $0["incident"] ?? "" }).count == big)
        let check = w.run(["check", "--sector", "Health", "--format", "json"])
        #expect(check.code == 0, "\(check.err)")
        let health = Set(try csvRows(text: w.run(["incidents", "--sector", "health", "--format", "csv"]).out).map { $0["id"] ?? "" })
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(check.out.utf8)) as? [[String: Any]])
        #expect(!checked.isEmpty)
        #expect(checked.allSatisfy { health.contains($0["incident"] as? String ?? "") })
    }
}
