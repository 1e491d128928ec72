// The SQLite store's own tests: what only this backend has, so no other backend could run them.
// Everything the store contract promises (imports, merges, references, queries, company matching,
// single writes, export, search results) is tested once, for every backend, by the contract
// suite (Contract/StoreContractTests.swift). What stays here reaches into SQLite itself: the
// schema's own constraints, the write generation and the FTS5 match expressions and split
// ranking behind search, two connections writing one database file at once (its lock waits),
// the migrations, and how GRDB's errors become the contract's `StoreFailure`. Opening files, lock
// waits and snippets are in DatabaseFileTests.swift, each migration's SQL in MigrationSQLTests.swift.

import Foundation
import GRDB
import Testing
@testable import LapseCore
@testable import LapseStore

/// Expects `body` to fail with SQLite's constraint error specifically (not any error).
func expectConstraint(_ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    let error = #expect(throws: DatabaseError.self, comment, sourceLocation: sourceLocation) { try body() }
    #expect(error?.resultCode == .SQLITE_CONSTRAINT, "\(comment.map(String.init(describing:)) ?? ""): \(error.map(String.init(describing:)) ?? "no error")",
            sourceLocation: sourceLocation)
}

@Suite("Store")
struct StoreTests {
    @Test("the schema itself rejects what the model forbids")
    func schemaConstraints() throws {
        let db = try LapseDatabase.inMemory()
        try seed(db)
        let bad = [
            "INSERT INTO party (id, name, kind) VALUES ('Bad Id', 'x', 'organization')",
            "INSERT INTO party (id, name, kind) VALUES ('x', 'x', 'company')",
            "INSERT INTO party (id, name, kind) VALUES ('sony', 'dup', 'organization')",
            "INSERT INTO incident (id, title, organization_id) VALUES ('x', 'x', 'nobody')",
            "INSERT INTO incident (id, title, organization_id, records_affected) VALUES ('x', 'x', 'sony', -5)",
            "INSERT INTO incident_kind (incident_id, position, kind) VALUES ('psn-2011', 9, 'flood')",
            "INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('psn-2011', 9, 'outage', '2011', 0)",
            "INSERT INTO event (incident_id, position, type, at, first_instant, audience) VALUES ('psn-2011', 9, 'apology', '2011', 0, 'everyone')",
            "INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('nope', 0, 'apology', '2011', 0)",
        ]
        for sql in bad {
            expectConstraint("\(sql)") {
                try db.writer.write { try $0.execute(sql: sql) }
            }
        }
    }
}

@Suite("Search")
struct SearchTests {
    @Test("every committed write moves the store's generation, which split searches compare; a dry run does not")
    func writeGeneration() throws {
        let db = try LapseDatabase.inMemory()
        let current = { try db.writer.read { try Int.fetchOne($0, sql: "SELECT n FROM store_generation") ?? -1 } }
        let start = try current()
        try seed(db)
        let seeded = try current()
        #expect(seeded > start)
        try db.importing(dryRun: true) { s in try s.add(Party(id: "dry", name: "Dry", kind: .group), at: .init()) }
        #expect(try current() == seeded, "nothing was written")
        _ = try db.logEvent(Event(type: .statement, at: EventTime(year: 2011, month: 5, day: 2)), toIncident: "psn-2011")
        #expect(try current() == seeded + 1)
    }

    @Test("a word the index holds only as itself is matched as that term: same rows, same scores as the prefix")
    func exactTerms() throws {
        let db = try LapseDatabase.inMemory()
        try db.importing { s in
            try s.add(Party(id: "acme", name: "Acme", kind: .organization), at: .init())
            let summaries = ["ransomware took the payroll", "stolen credentials sold", "credential stuffing wave", "ransomware and credentials", "café résumé leak"]
            let events = summaries.enumerated().map { Event(type: .statement, at: EventTime(year: 2020, month: 1, day: 1 + $0), summary: $1) }
            try s.add(Incident(id: "a-1", title: "Acme ransomware", organization: "acme", kinds: [.breach], events: events), at: .init())
        }
        try db.writer.read { db in
            func pattern(_ text: String) throws -> String {
                try LapseDatabase.matchExpression(db, table: "event_fts", query: SearchExpression(parsing: text))
            }
            #expect(try pattern("ransomware") == "\"ransomware\"", "only itself in the index")
            #expect(try pattern("ransom") == "\"ransom\"*", "stands for a longer term")
            #expect(try pattern("credential") == "\"credential\"*", "credential and credentials")
            #expect(try pattern("credentials ransomware") == "\"credentials\" AND \"ransomware\"")
            #expect(try pattern("café") == "\"café\"*", "beyond ASCII, the prefix as it was")
            for text in ["ransomware", "credentials ransomware", "ransomware credentials", "stolen"] {
                let prefix = text.split(separator: " ").map { "\"\($0)\"*" }.joined(separator: " ")
                let sql = "SELECT rowid, bm25(event_fts) FROM event_fts WHERE event_fts MATCH ? ORDER BY 2, 1"
                let asPrefix = try Row.fetchAll(db, sql: sql, arguments: [prefix]).map { "\($0[0] as Int64) \($0[1] as Double)" }
                let asTerms = try Row.fetchAll(db, sql: sql, arguments: [try pattern(text)]).map { "\($0[0] as Int64) \($0[1] as Double)" }
                #expect(!asPrefix.isEmpty)
                #expect(asTerms == asPrefix, "\(text)")
            }
        }
    }

    @Test("ranking the event index in two parts at once finds the same hits, in the same order, as one pass")
    func halves() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-search-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let db = try LapseDatabase.open(path: path)
        let words = ["ransomware", "credentials", "outage", "breach", "phishing", "vendor", "customers", "regulator", "apology", "leak"]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        try db.importing { s in
            try s.add(Party(id: "acme", name: "Acme", kind: .organization), at: .init())
            for i in 0..<60 {
                let events = (0..<30).map { _ in
                    Event(type: .statement, at: EventTime(year: 2020, month: 1, day: 1 + next(28)),
                          summary: (0..<(2 + next(12))).map { _ in words[next(words.count)] }.joined(separator: " "))
                }
                try s.add(Incident(id: "inc-\(i)", title: "Incident \(i) \(words[next(words.count)])", organization: "acme", kinds: [.breach], events: events), at: .init())
            }
        }
        for query in ["ransomware credentials", "leak", "apo", "breach vendor customers"] {
            let whole = try db.search(query, limit: 15, halvingFrom: .max)
            let halves = try db.search(query, limit: 15, halvingFrom: 0)
            #expect(whole.count == 15, "\(query): enough matches to rank")
            #expect(halves == whole, "\(query)")
        }
    }
}

@Suite("Concurrent writers")
struct ConcurrencyTests {
    @Test("two connections writing at the same moment both succeed")
    func twoWriters() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("db.sqlite").path
        let first = try LapseDatabase.open(path: path)
        try first.addParty(Party(id: "acme", name: "Acme", kind: .organization))
        try first.addIncident(Incident(id: "a-1", title: "A", organization: "acme", kinds: [.outage]))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let db = try LapseDatabase.open(path: path)
                    for i in 0..<50 {
                        _ = try db.logEvent(Event(type: .statement, at: t("2020-01-01"), summary: "writer \(writer) event \(i)"), toIncident: "a-1")
                    }
                }
            }
            try await group.waitForAll()
        }
        let events = try #require(try LapseDatabase.open(path: path).incident(id: "a-1")).events
        #expect(events.count == 100)
        #expect(Set(events.compactMap(\.summary)).count == 100)
    }
}

@Suite("Migrations")
struct MigrationTests {
    @Test("v2 fills each stored incident's first event and event count")
    func v2Backfill() throws {
        let queue = try DatabaseQueue()
        let migrator = Schema.migrator
        try migrator.migrate(queue, upTo: "v1: parties, incidents, events, sources, full-text search")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO party (id, name, kind) VALUES ('acme', 'Acme', 'organization');
                INSERT INTO incident (id, title, organization_id, first_instant) VALUES ('a-1', 'A', 'acme', 0);
                INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('a-1', 0, 'disclosure', '2020-03-01', 1583020800);
                INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('a-1', 1, 'detection', '2020-02', 1580515200);
                INSERT INTO incident (id, title, organization_id) VALUES ('b-1', 'B', 'acme');
                """)
        }
        try migrator.migrate(queue)
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT id, first_at, event_count FROM incident ORDER BY id") }
        #expect(rows.map { $0["first_at"] as String? } == ["2020-02", nil])
        #expect(rows.map { $0["event_count"] as Int } == [2, 0])
    }

    @Test("v3 rebuilds events and incident kinds with their rows, rowids, sources, search and checks")
    func v3Rebuild() throws {
        let queue = try DatabaseQueue()
        let migrator = Schema.migrator
        try migrator.migrate(queue, upTo: "v2: each incident's first event and event count, for listings without reading events")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO party (id, name, kind) VALUES ('acme', 'Acme', 'organization');
                INSERT INTO incident (id, title, organization_id) VALUES ('a-1', 'A', 'acme');
                INSERT INTO incident_kind (incident_id, position, kind) VALUES ('a-1', 0, 'breach'), ('a-1', 1, 'outage');
                INSERT INTO event (seq, incident_id, position, id, type, at, first_instant, party_id, summary, audience)
                    VALUES (7, 'a-1', 0, 'first', 'disclosure', '2020-03-01', 1583020800, 'acme', 'the unicorn leak', 'public');
                INSERT INTO event (seq, incident_id, position, type, at, first_instant) VALUES (9, 'a-1', 1, 'detection', '2020-02', 1580515200);
                INSERT INTO event_source (event_seq, position, url) VALUES (7, 0, 'https://example.org/a');
                """)
        }
        try migrator.migrate(queue)
        try queue.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT seq || ' ' || coalesce(id, '-') || ' ' || type || ' ' || coalesce(party_id, '-') || ' ' || coalesce(audience, '-') FROM event ORDER BY seq")
            #expect(rows.map { $0[0] as String } == ["7 first disclosure acme public", "9 - detection - -"])
            #expect(try String.fetchAll(db, sql: "SELECT kind FROM incident_kind ORDER BY position") == ["breach", "outage"])
            #expect(try String.fetchOne(db, sql: "SELECT kinds FROM incident") == "breach,outage", "listings read the kinds from the incident row")
            #expect(try Int.fetchOne(db, sql: "SELECT n FROM store_generation") == 0)
            #expect(try Int.fetchAll(db, sql: "SELECT rowid FROM event_fts WHERE event_fts MATCH 'unicorn'") == [7])
            // The checks and uniqueness still hold.
            expectConstraint {
                try db.execute(sql: "INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('a-1', 2, 'rumour', '2020', 0)")
            }
            expectConstraint {
                try db.execute(sql: "INSERT INTO event (incident_id, position, type, at, first_instant, audience) VALUES ('a-1', 2, 'apology', '2020', 0, 'fans')")
            }
            expectConstraint {
                try db.execute(sql: "INSERT INTO event (incident_id, position, id, type, at, first_instant) VALUES ('a-1', 2, 'first', 'apology', '2020', 0)")
            }
            expectConstraint {
                try db.execute(sql: "INSERT INTO incident_kind (incident_id, position, kind) VALUES ('a-1', 2, 'heist')")
            }
            // Events without ids need no id index entry and never collide; new rows are indexed for search.
            try db.execute(sql: "INSERT INTO event (incident_id, position, type, at, first_instant, summary) VALUES ('a-1', 2, 'apology', '2020-03-02', 0, 'sorry unicorn')")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM event_fts WHERE event_fts MATCH 'unicorn'") == 2)
            // Deleting the incident still takes its events, their sources and kinds with it.
            try db.execute(sql: "DELETE FROM incident WHERE id = 'a-1'")
            #expect(try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM event) + (SELECT count(*) FROM event_source) + (SELECT count(*) FROM incident_kind)") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM event_fts WHERE event_fts MATCH 'unicorn'") == 0)
        }
    }
}

@Suite("Migration v7")
struct ClosedMigrationTests {
    @Test("v7: a database made before it upgrades, its incidents open; the column takes EventTimes only")
    func v7Upgrade() throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v6: API tokens (name, role, SHA-256 hash of the secret)")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO party (id, name, kind) VALUES ('acme', 'Acme', 'organization');
                INSERT INTO incident (id, title, organization_id, first_instant, first_at, event_count, kinds) VALUES ('a-1', 'A', 'acme', 1583020800, '2020-03-01', 1, 'breach');
                INSERT INTO incident_kind (incident_id, position, kind) VALUES ('a-1', 0, 'breach');
                INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('a-1', 0, 'detection', '2020-03-01', 1583020800);
                """)
        }
        #expect(try old.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 6)
        try old.close()

        let store = try LapseDatabase.open(path: path)
        let stored = try #require(try store.incident(withID: "a-1"))
        #expect(stored.closed == nil)
        #expect(stored.events.map(\.type) == [.detection])
        var closed = stored
        closed.closed = t("2020-05-01")
        _ = try store.write([.incident(closed)], as: ChangeContext(author: "test", command: "incident close a-1"))
        #expect(try store.incident(withID: "a-1")?.closed?.description == "2020-05-01")

        let check = try DatabaseQueue(path: path)
        #expect(try check.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 7)
        #expect(try check.read { try String.fetchOne($0, sql: "SELECT closed FROM incident WHERE id = 'a-1'") } == "2020-05-01")
        try check.write { db in
            expectConstraint("a closing day is an EventTime") {
                try db.execute(sql: "UPDATE incident SET closed = 'soon' WHERE id = 'a-1'")
            }
        }
    }
}

@Suite("Store contract errors")
struct StoreContractErrorTests {
    @Test("a constraint SQLite enforces leaves the contract as StoreFailure.constraint, with SQLite's message")
    func constraint() throws {
        let db = try LapseDatabase.inMemory()
        do {
            try LapseDatabase.mappingErrors {
                try db.writer.write { try $0.execute(sql: "INSERT INTO incident_kind (incident_id, kind, position) VALUES ('nope', 'breach', 0)") }
            }
            Issue.record("a kind of a missing incident was stored")
        } catch let StoreFailure.constraint(message) {
            #expect(message.contains("FOREIGN KEY"), "\(message)")
        }
    }

    @Test("other GRDB errors are StoreFailure.database; errors of other kinds pass through")
    func otherErrors() throws {
        let db = try LapseDatabase.inMemory()
        do {
            try LapseDatabase.mappingErrors { try db.writer.read { try $0.execute(sql: "SELECT * FROM no_such_table") } }
            Issue.record("a query of a missing table succeeded")
        } catch let StoreFailure.database(message) {
            #expect(message.contains("no_such_table"), "\(message)")
        }
        #expect(LapseDatabase.storeFailure(for: StoreLookupError.noIncident("x")) == nil)
        #expect(throws: StoreLookupError.self) { try db.appendEvent(Event(type: .disclosure, at: t("2024")), toIncident: "nope") }
    }
}
