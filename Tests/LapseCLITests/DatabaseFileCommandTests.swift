import Foundation
import GRDB
import LapseCore
import LapseStore
import Testing
@testable import LapseCLI

/// A workspace with one party and one incident.
func populatedWorkspace() throws -> Workspace {
    let w = try Workspace()
    #expect(w.run(["party", "add", "acme", "--name", "Acme", "--kind", "organization"]).code == 0)
    #expect(w.run(["incident", "add", "a-1", "--title", "Acme outage", "--organization", "acme", "--kind", "outage"]).code == 0)
    return w
}

@Suite("Locks, foreign and future databases (commands)")
struct DatabaseFileCommandTests {
    @Test("reads answer with the committed data while another connection holds a write transaction; a write gives up with exit 74")
    func heldWriteTransaction() throws {
        let w = try populatedWorkspace()
        let holder = try DatabaseQueue(path: w.db)
        // The transaction stays open until the commands are done: a command that waited for it
        // would never see it end.
        try holder.inDatabase { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            try db.execute(sql: "UPDATE incident SET title = ?", arguments: ["Uncommitted"])
            // A timeout of 0 makes a read that waited fail at once instead of after minutes.
            let list = w.run(["incidents", "--format", "csv"], environment: ["LAPSE_LOCK_TIMEOUT": "0"])
            #expect(list.code == 0, "\(list.err)")
            #expect(list.out.contains("Acme outage"))
            #expect(!list.out.contains("Uncommitted"))
            let show = w.run(["show", "a-1"], environment: ["LAPSE_LOCK_TIMEOUT": "0"])
            #expect(show.code == 0, "\(show.err)")
            #expect(show.out.contains("Acme outage"))
            let write = w.run(["party", "add", "late", "--name", "Late", "--kind", "organization"], environment: ["LAPSE_LOCK_TIMEOUT": "0"])
            #expect(write.code == 74)
            #expect(write.err.contains("lapse: error: the database \(w.db) is locked: another program held a write transaction on it"))
        }
        #expect(w.run(["party", "add", "late", "--name", "Late", "--kind", "organization"]).code == 0)
    }

    @Test("a sqlite3 shell holding BEGIN IMMEDIATE blocks no read, and a write that gives up names it")
    func sqliteShellHoldsTheLock() throws {
        let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard externalToolAvailable("sqlite3", sqlite3 != nil, install: "apt-get install sqlite3") else { return }
        let w = try populatedWorkspace()
        let marker = w.url.appendingPathComponent("locked").path
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: sqlite3!)
        shell.arguments = [w.db]
        let input = Pipe()
        shell.standardInput = input
        shell.standardOutput = FileHandle.nullDevice
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nUPDATE incident SET title = 'Uncommitted';\n.shell touch '\(marker)'\n".utf8))
        // The shell creates the marker once its transaction holds the lock; if it never does, stop after a minute.
        var polls = 0
        while !FileManager.default.fileExists(atPath: marker), polls < 60_000 {
            usleep(1000)
            polls += 1
        }
        #expect(FileManager.default.fileExists(atPath: marker), "the sqlite3 shell never took the lock")
        let list = w.run(["incidents", "--format", "csv"], environment: ["LAPSE_LOCK_TIMEOUT": "0"])
        #expect(list.code == 0, "\(list.err)")
        #expect(list.out.contains("Acme outage"))
        let show = w.run(["show", "a-1"], environment: ["LAPSE_LOCK_TIMEOUT": "0"])
        #expect(show.code == 0, "\(show.err)")
        let write = w.run(["party", "add", "late", "--name", "Late", "--kind", "organization"], environment: ["LAPSE_LOCK_TIMEOUT": "0"])
        #expect(write.code == 74)
        #expect(write.err.contains("is locked: sqlite3 (pid \(shell.processIdentifier)) held a write transaction on it"), "\(write.err)")
        #expect(write.err.contains("end that transaction (COMMIT or ROLLBACK)"))

        // A write that may wait says so on standard error; the shell ends its transaction only
        // once it has, and the write goes through.
        let console = Console.capture()
        let release = input.fileHandleForWriting
        let watcher = Thread {
            while !console.errorOutput.contains("waiting for") { usleep(1000) }
            release.write(Data("ROLLBACK;\n.quit\n".utf8))
        }
        watcher.start()
        let waited = LapseMain.run(["party", "add", "late", "--name", "Late", "--kind", "organization", "--db", w.db], console: console)
        #expect(waited == 0, "\(console.errorOutput)")
        #expect(console.errorOutput.hasPrefix("waiting for sqlite3 (pid \(shell.processIdentifier)) to finish writing to \(w.db)… (giving up after 5 minutes; Ctrl-C to stop)\n"))
        shell.waitUntilExit()
        try release.close()
        #expect(w.run(["parties", "--format", "csv"]).out.contains("late,Late"))
    }

    @Test("LAPSE_LOCK_TIMEOUT must be a number of seconds")
    func badTimeout() throws {
        let w = try populatedWorkspace()
        let result = w.run(["party", "add", "late", "--name", "Late", "--kind", "organization"], environment: ["LAPSE_LOCK_TIMEOUT": "soon"])
        #expect(result.code == 64)
        #expect(result.err.contains("LAPSE_LOCK_TIMEOUT: expected a number of seconds"))
    }

    @Test("a file that is not a Lapse database is refused with exit 74 and left byte for byte as it was",
          arguments: ["text", "sqlite"])
    func foreignFile(kind: String) throws {
        let w = try Workspace()
        if kind == "text" {
            _ = try w.file("lapse.sqlite", "id,name\n1,not a database\n")
        } else {
            let queue = try DatabaseQueue(path: w.db)
            try queue.write { try $0.execute(sql: "CREATE TABLE contact (name TEXT); INSERT INTO contact VALUES ('Ada')") }
            try queue.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: w.db))
        let stamp = try FileManager.default.attributesOfItem(atPath: w.db)[.modificationDate] as? Date
        let document = try w.file("in.json", #"{"format": "lapse/1", "parties": [{"id": "acme", "name": "Acme", "kind": "organization"}]}"#)
        for arguments in [["incidents"], ["search", "acme"], ["import", document], ["party", "add", "x", "--name", "X", "--kind", "group"]] {
            let result = w.run(arguments)
            #expect(result.code == 74, "\(arguments)")
            #expect(result.err.contains("lapse: error: \(w.db) is not a Lapse database: "), "\(result.err)")
            #expect(result.err.contains("Lapse left it unchanged"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: w.db)) == before)
        #expect(try FileManager.default.attributesOfItem(atPath: w.db)[.modificationDate] as? Date == stamp)
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.url.path).sorted() == ["in.json", "lapse.sqlite"])
    }

    @Test("a database written by a newer Lapse is listed with a note, and writing to it exits 74 asking for an upgrade")
    func newerDatabase() throws {
        let w = try populatedWorkspace()
        let other = try DatabaseQueue(path: w.db)
        try other.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: ["v9: tomorrow"]) }
        try other.close()
        let list = w.run(["incidents", "--format", "csv"])
        #expect(list.code == 0)
        #expect(list.out.contains("Acme outage"))
        #expect(list.err == "note: \(w.db) was written by a newer Lapse (migration \"v9: tomorrow\" unknown to this version); reading what this version understands; upgrade Lapse to write to it\n")
        let write = w.run(["log", "a-1", "statement", "--at", "2024-01-02", "--summary", "later"])
        #expect(write.code == 74)
        #expect(write.err == "lapse: error: \(w.db) was written by a newer Lapse (migration \"v9: tomorrow\" unknown to this version): upgrade Lapse to write to it; this version only reads it\n")
        #expect(try LapseDatabase.open(path: w.db, access: .read).incident(id: "a-1")?.events.isEmpty == true)
    }

    @Test("a 10 MB quote gives a short snippet in every output format", arguments: OutputFormat.allCases)
    func boundedSnippet(format: OutputFormat) throws {
        let w = try populatedWorkspace()
        let quote = String(repeating: "we take security seriously ", count: 200_000) + "the vault was open " + String(repeating: "and we apologise ", count: 200_000)
        #expect(quote.utf8.count > 8_000_000)
        _ = try LapseDatabase.open(path: w.db).logEvent(Event(type: .statement, at: EventTime("2024-01-02")!, statement: Quotation(quote: quote)), toIncident: "a-1")
        let result = w.run(["search", "vault", "--format", format.name])
        #expect(result.code == 0, "\(result.err)")
        if format == .json {
            let hits = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]])
            let parts = try #require(hits.first?["parts"] as? [[String: Any]])
            #expect(parts.filter { $0["match"] as? Bool == true }.map { $0["text"] as? String } == ["vault"])
        } else {
            #expect(result.out.contains(format == .markdown ? #"\[vault\]"# : "[vault]"))
        }
        #expect(result.out.contains("…"))
        #expect(result.out.utf8.count < 1_500, "\(result.out.prefix(300))")
    }
}
