import Foundation
import PostgresTestSupport
import Testing
@testable import LapseCLI

/// A PostgreSQL database of the test cluster, or nil after saying why there is none (a failure
/// under `LAPSE_REQUIRE_ALL=1`).
private func postgresDatabase() throws -> String? {
    try PostgresCluster.forTest(fail: { Issue.record("\($0)") })?.newDatabase()
}

/// The bundled sample and the Washington AG list imported into a store.
private func importSampleAndWA(_ w: Workspace, db: String) throws {
    let sample = w.run(["import", sampleData, "--db", db], passDB: false)
    #expect(sample.code == 0, "\(sample.err)")
    let wa = w.run(waArguments + [try dataset("wa-ag-breach-notifications.csv"), "--db", db], passDB: false)
    #expect(wa.code == 0, "\(wa.err)")
}

/// A search's hits as a set: what was found, without scores and order (ranking differs by design).
private func hitSet(_ json: String) throws -> Set<String> {
    let hits = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    return Set(hits.map { hit in
        ["kind", "incident", "label", "snippet"].map { "\(hit[$0] ?? "-")" }.joined(separator: " | ")
    })
}

@Suite("PostgreSQL from the command line")
struct PostgresCLITests {
    @Test("the sample and the WA list give the same export, delays, stats, deadlines, checks and reports on PostgreSQL as on SQLite, and the same search hits")
    func sameAnswers() throws {
        guard let url = try postgresDatabase() else { return }
        let w = try Workspace()
        try importSampleAndWA(w, db: w.db)
        try importSampleAndWA(w, db: url)
        let commands: [[String]] = [
            ["export"], ["export", "--history"], ["delays", "--format", "csv"], ["stats", "--by", "year", "--format", "json"],
            ["deadlines", "--format", "csv"], ["check", "--format", "json"], ["incidents", "--company", "uber technologies", "--format", "json"],
            ["delays", "--from", "detection", "--to", "regulator_notification", "--sort", "days", "--desc", "--limit", "10"],
            ["report", "all", "--format", "md"], ["show", "psn-2011", "--format", "json"], ["parties", "--duplicates"],
        ]
        for command in commands {
            let sqlite = w.run(command + ["--db", w.db], passDB: false)
            let postgres = w.run(command + ["--db", url], passDB: false)
            #expect(sqlite.code == 0 && postgres.code == 0, "\(command): \(sqlite.err) \(postgres.err)")
            if command == ["export", "--history"] {
                // The change log's times differ (each store stamped its own imports); its shape does not.
                let strip = { (text: String) in text.split(separator: "\n").filter { !$0.contains("\"at\" : \"20") || !$0.contains("T") }.joined(separator: "\n") }
                #expect(strip(sqlite.out) == strip(postgres.out), "\(command)")
            } else {
                #expect(sqlite.out == postgres.out, "\(command) differs between SQLite and PostgreSQL")
            }
            #expect(!sqlite.out.isEmpty, "\(command) printed nothing")
        }
        for query in ["equifax", "breach", "\"external intrusion\"", "sony -playstation", "apolog*", "hack OR intrusion", "medical"] {
            let arguments = ["search", query, "--format", "json", "--limit", "100000"]
            let sqlite = w.run(arguments + ["--db", w.db], passDB: false)
            let postgres = w.run(arguments + ["--db", url], passDB: false)
            #expect(sqlite.code == 0 && postgres.code == 0, "\(query): \(sqlite.err) \(postgres.err)")
            let expected = try hitSet(sqlite.out)
            #expect(!expected.isEmpty, "\(query) finds nothing on SQLite")
            #expect(try hitSet(postgres.out) == expected, "\(query): PostgreSQL found other hits than SQLite")
        }
    }

    @Test("db copy moves a whole database SQLite → PostgreSQL → SQLite: every export of the copies is byte-identical, and the change log comes along")
    func copyRoundTrip() throws {
        guard let url = try postgresDatabase() else { return }
        let w = try Workspace()
        try importSampleAndWA(w, db: w.db)
        #expect(w.run(["incident", "close", "psn-2011", "--on", "2011-06-01"]).code == 0)
        let back = w.url.appendingPathComponent("back.sqlite").path
        let there = w.run(["db", "copy", "--from", w.db, "--to", url], passDB: false)
        #expect(there.code == 0, "\(there.err)")
        #expect(there.err.contains("1,114 incidents") || there.err.contains("1114 incidents"), "\(there.err)")
        let home = w.run(["db", "copy", "--from", url, "--to", back], passDB: false)
        #expect(home.code == 0, "\(home.err)")
        // The calendar's DTSTAMP is the time of the export, so it is the one line left out.
        func export(_ format: [String], _ db: String) -> String {
            w.run(["export"] + format + ["--db", db], passDB: false).out.split(separator: "\r\n").filter { !$0.hasPrefix("DTSTAMP:") }.joined(separator: "\n")
        }
        for format in [["--format", "lapse"], ["--format", "csv"], ["--format", "ics", "--deadlines"]] {
            let original = export(format, w.db)
            #expect(original.count > 10_000)
            #expect(export(format, url) == original, "\(format): PostgreSQL copy")
            #expect(export(format, back) == original, "\(format): copy of the copy")
        }
        // The change log: the source's changes, as they were, then one change per copy.
        func history(_ db: String) throws -> [NSDictionary] {
            let out = w.run(["export", "--history", "--db", db], passDB: false).out
            let document = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            return try #require(document["history"] as? [NSDictionary])
        }
        let source = try history(w.db), copied = try history(url), twice = try history(back)
        #expect(source.count == 3)
        #expect(Array(copied.prefix(source.count)) == source)
        #expect(Array(twice.prefix(copied.count)) == copied)
        #expect(copied.count == source.count + 1 && twice.count == copied.count + 1)
        #expect((copied.last?["command"] as? String) == "db copy")
    }

    @Test("db copy refuses a destination that holds data, and writes nothing")
    func copyRefusesData() throws {
        guard let url = try postgresDatabase() else { return }
        let w = try Workspace()
        #expect(w.run(["import", sampleData, "--db", url], passDB: false).code == 0)
        #expect(w.run(["import", sampleData]).code == 0)
        let before = w.run(["export", "--history", "--db", url], passDB: false).out
        let r = w.run(["db", "copy", "--from", w.db, "--to", url], passDB: false)
        #expect(r.code == 65)
        #expect(r.err.contains("not empty"), "\(r.err)")
        #expect(w.run(["export", "--history", "--db", url], passDB: false).out == before)
    }

    @Test("db migrate applies the schema to an empty PostgreSQL database once, then says it is up to date")
    func migrate() throws {
        guard let cluster = PostgresCluster.forTest(fail: { Issue.record("\($0)") }) else { return }
        let url = try cluster.newEmptyDatabase()
        let w = try Workspace()
        let first = w.run(["db", "migrate", "--db", url], passDB: false)
        #expect(first.code == 0, "\(first.err)")
        #expect(first.err.contains("Applied migration 1"), "\(first.err)")
        let again = w.run(["db", "migrate"], environment: ["LAPSE_DB": url], passDB: false)
        #expect(again.code == 0)
        #expect(again.err.contains("is up to date"), "\(again.err)")
        #expect(w.run(["incidents"], environment: ["LAPSE_DB": url], passDB: false).code == 0)
    }

    @Test("a PostgreSQL server that cannot be reached is an I/O error naming the database, never its password")
    func unreachable() throws {
        let w = try Workspace()
        let r = w.run(["incidents", "--db", "postgresql://alice:s3cret@/lapse?host=/nonexistent-folder&port=5499"], passDB: false)
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains("postgresql://alice@"), "\(r.err)")
        #expect(!r.err.contains("s3cret"))
        let bad = w.run(["incidents", "--db", "postgresql://alice@localhost:99999/lapse"], passDB: false)
        #expect(bad.code != 0)
        #expect(bad.err.contains("port"), "\(bad.err)")
    }
}
