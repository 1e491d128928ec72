import Foundation
import GRDB
import Testing
@testable import LapseCore
@testable import LapseStore

/// A temporary folder for database files, removed at the end of the test.
final class Folder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// A Lapse database with one party, at `path`.
@discardableResult
func lapseFile(_ path: String) throws -> LapseDatabase {
    let db = try LapseDatabase.open(path: path)
    try db.addParty(Party(id: "acme", name: "Acme", kind: .organization))
    return db
}

/// The file's bytes and modification date, to show that it was not touched.
func fingerprint(_ path: String) throws -> (Data, Date?) {
    (try Data(contentsOf: URL(fileURLWithPath: path)),
     try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
}

@Suite("Locks")
struct LockTests {
    @Test("a reader opens and reads while another connection holds a write transaction, and sees only committed data")
    func readerDoesNotWait() throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        try lapseFile(path)
        let holder = try DatabaseQueue(path: path)
        // The holder keeps its transaction open until the reads are done: a reader that waited
        // for it would wait for ever (and fail on its busy timeout).
        try whileHolding(holder) { db in
            try db.execute(sql: "INSERT INTO party (id, name, kind) VALUES (?, ?, ?)", arguments: ["ghost", "Uncommitted", "organization"])
            let reader = try LapseDatabase.open(path: path, access: .read, waiting: LockWait(noticeAfter: 0, giveUpAfter: 0))
            #expect(try reader.parties().map(\.id) == ["acme"])
            #expect(reader.notice == nil)
        }
    }

    @Test("a writer that finds the database locked gives up with the store's error, naming the file and what to do")
    func writerGivesUp() throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        let writer = try LapseDatabase.open(path: path, waiting: LockWait(noticeAfter: 0, giveUpAfter: 0))
        let holder = try DatabaseQueue(path: path)
        try whileHolding(holder) { _ in
            do {
                try writer.addParty(Party(id: "acme", name: "Acme", kind: .organization))
                Issue.record("expected the write to give up")
            } catch let error as StoreError {
                guard case .locked(let lockedPath, _, _) = error else { throw error }
                #expect(lockedPath == path)
                #expect(error.description.contains("the database \(path) is locked"))
                #expect(error.description.contains("then run the command again"))
            }
        }
        try writer.addParty(Party(id: "acme", name: "Acme", kind: .organization))
        #expect(try writer.parties().map(\.id) == ["acme"])
    }

    @Test("a waiting writer says so, and writes once the other transaction ends")
    func writerWaitsVisibly() async throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        try lapseFile(path)
        let told = Notes()
        let writer = try LapseDatabase.open(path: path, waiting: LockWait(noticeAfter: 0, giveUpAfter: 120, onWait: { told.add($0) }))
        let holder = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0)
        let noticed = DispatchSemaphore(value: 0)
        // The holder releases its transaction only once the writer has said it is waiting.
        let holding = Thread {
            try? holder.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                noticed.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        holding.start()
        locked.wait()
        let watcher = Thread {
            while told.all.isEmpty { usleep(1000) }
            noticed.signal()
        }
        watcher.start()
        try writer.addParty(Party(id: "late", name: "Late", kind: .organization))
        #expect(try writer.parties().map(\.id) == ["acme", "late"])
        #expect(told.all == ["waiting for another program to finish writing to \(path)… (giving up after 2 minutes; Ctrl-C to stop)"])
    }

    @Test("the holder of a lock is described by its kind")
    func holderDescription() {
        #expect(LockHolder(pid: 42, name: "lapse").description == "another lapse process (pid 42)")
        #expect(LockHolder(pid: 42, name: "sqlite3").description == "sqlite3 (pid 42)")
        #expect(LockHolder(pid: 42, name: nil).description == "process 42")
        let byLapse = StoreError.locked(path: "/d/l.sqlite", holder: LockHolder(pid: 42, name: "lapse"), waited: 300).description
        #expect(byLapse == "the database /d/l.sqlite is locked: another lapse process (pid 42) was writing to it for 5 minutes; wait for it to finish and run the command again (LAPSE_LOCK_TIMEOUT sets how long to wait)")
    }
}

/// Runs `body` while `queue` holds an IMMEDIATE transaction, rolled back afterwards whatever happens.
func whileHolding(_ queue: DatabaseQueue, _ body: (Database) throws -> Void) throws {
    try queue.inDatabase { db in
        try db.execute(sql: "BEGIN IMMEDIATE")
        defer { try? db.execute(sql: "ROLLBACK") }
        try body(db)
    }
}

/// Lines told by a callback on another thread.
final class Notes: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []
    func add(_ note: String) { lock.withLock { notes.append(note) } }
    var all: [String] { lock.withLock { notes } }
}

@Suite("Foreign and future databases")
struct DatabaseFileTests {
    @Test("a file that is not SQLite, or another program's SQLite database, is refused and left as it was",
          arguments: ["text", "sqlite", "application id"])
    func foreignFiles(kind: String) throws {
        let folder = try Folder()
        let path = folder.path("other.db")
        switch kind {
        case "text":
            try Data("name,size\nreport,12\n".utf8).write(to: URL(fileURLWithPath: path))
        case "sqlite":
            let queue = try DatabaseQueue(path: path)
            try queue.write { try $0.execute(sql: "CREATE TABLE note (body TEXT); INSERT INTO note VALUES ('mine')") }
            try queue.close()
        default:
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA application_id = 1234") }
            try queue.close()
        }
        let before = try fingerprint(path)
        for access in [LapseDatabase.Access.read, .write] {
            do {
                _ = try LapseDatabase.open(path: path, access: access)
                Issue.record("\(kind) opened for \(access)")
            } catch let error as StoreError {
                guard case .notLapse = error else { throw error }
                #expect(error.description.hasPrefix("\(path) is not a Lapse database: "))
                #expect(error.description.contains("Lapse left it unchanged"))
            }
        }
        let after = try fingerprint(path)
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(left == ["other.db"])
    }

    @Test("a device or a pipe given as the database is refused without being read", arguments: ["/dev/null", "fifo"])
    func notARegularFile(name: String) throws {
        let folder = try Folder()
        var path = name
        if name == "fifo" {
            path = folder.path("fifo")
            #expect(mkfifo(path, 0o600) == 0)
        }
        for access in [LapseDatabase.Access.read, .write] {
            #expect {
                _ = try LapseDatabase.open(path: path, access: access)
            } throws: { error in
                "\(error)" == "\(path) is not a Lapse database: it is not a regular file; Lapse left it unchanged. Pass --db with a Lapse database or a new file name (or set LAPSE_DB)"
            }
        }
    }

    @Test("a database written by a newer Lapse is read, with a note, and never written",
          arguments: ["INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')", "PRAGMA user_version = 99"])
    func newerDatabase(change: String) throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        try lapseFile(path)
        let other = try DatabaseQueue(path: path)
        try other.writeWithoutTransaction { try $0.execute(sql: change) }
        try other.close()
        let before = try fingerprint(path)

        do {
            _ = try LapseDatabase.open(path: path, access: .write)
            Issue.record("a newer database was opened for writing")
        } catch let error as StoreError {
            guard case .newerDatabase = error else { throw error }
            #expect(error.description.hasPrefix("\(path) was written by a newer Lapse ("))
            #expect(error.description.contains("upgrade Lapse to write to it"))
        }
        let reader = try LapseDatabase.open(path: path, access: .read)
        #expect(try reader.parties().map(\.id) == ["acme"])
        #expect(reader.notice?.contains("was written by a newer Lapse") == true)
        #expect(throws: (any Error).self) { try reader.addParty(Party(id: "x", name: "X", kind: .organization)) }
        #expect(try fingerprint(path).0 == before.0)
    }

    @Test("a new database is marked as Lapse's; one made before the mark opens, and is marked when upgraded")
    func applicationID() throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        try lapseFile(path)
        let check = try DatabaseQueue(path: path)
        #expect(try check.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") } == Schema.applicationID)
        #expect(try check.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == Schema.version)
        // As Lapse left it before v4: no application id, no user_version.
        try check.writeWithoutTransaction { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v4:%'; PRAGMA application_id = 0; PRAGMA user_version = 0")
        }
        // A read while another program writes does not wait to upgrade it: it reads what it can.
        try whileHolding(check) { _ in
            let reader = try LapseDatabase.open(path: path, access: .read)
            #expect(try reader.parties().map(\.id) == ["acme"])
            #expect(reader.notice?.contains("was made by an older Lapse and could not be upgraded now (another program is writing to it)") == true)
        }
        #expect(try check.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") } == 0)
        // With nobody writing, a read upgrades it.
        let reader = try LapseDatabase.open(path: path, access: .read)
        #expect(reader.notice == nil)
        #expect(try check.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") } == Schema.applicationID)
        #expect(try reader.parties().map(\.id) == ["acme"])
    }

    @Test("an empty file becomes a new Lapse database")
    func emptyFile() throws {
        let folder = try Folder()
        let path = folder.path("lapse.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        try lapseFile(path)
        #expect(try LapseDatabase.open(path: path, access: .read).parties().map(\.id) == ["acme"])
    }
}

@Suite("Search snippets")
struct SnippetTests {
    @Test("a snippet shows about sixteen words around the first match, as written", arguments: [
        ("We offer our sincerest apologies.", "We offer our [sincerest] apologies"),
        ((1...30).map { "w\($0)" }.joined(separator: " ") + " needle", "…w16 w17 w18 w19 w20 w21 w22 w23 w24 w25 w26 w27 w28 w29 w30 [needle]"),
        ((1...10).map { "w\($0)" }.joined(separator: " ") + " needle " + (1...30).map { "v\($0)" }.joined(separator: " "),
         "…w7 w8 w9 w10 [needle] v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11…"),
        ("nothing here matches", "nothing here matches"),
    ])
    func window(text: String, snippet: String) {
        #expect(SearchSnippet.make(text, terms: SearchSnippet.terms("needle sincere")) == snippet)
    }

    @Test("a snippet of a 10 MB text, or of one long word or separator, is a few hundred characters, with ellipses where text was left out")
    func bounded() {
        let filler = String(repeating: "lorem ipsum ", count: 450_000)
        let cases = [
            filler + "the needle " + filler,
            String(repeating: "x", count: 500_000) + " needle " + String(repeating: "y", count: 500_000),
            String(repeating: "needle", count: 170_000),
            "needle" + String(repeating: "!", count: 1_000_000) + "end",
        ]
        for text in cases {
            let snippet = SearchSnippet.make(text, terms: ["needle"])
            #expect(snippet.count <= 400, "\(snippet.prefix(80))")
            #expect(snippet.contains("[needle"))
            #expect(snippet.contains("…"))
        }
    }
}
