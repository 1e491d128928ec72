import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// What can be learned of a database file without opening it for writing.
enum DatabaseFile {
    /// The size of the file `path` names (through symbolic links). Anything but a regular file
    /// (a device, a pipe, a socket) is refused before it is opened: reading a pipe would block.
    static func size(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw StoreError.notLapse(path: path, reason: "it is not a regular file")
        }
        return Int(info.st_size)
    }

    /// Whether the file begins as every SQLite database does.
    static func hasSQLiteHeader(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "it cannot be read (permissions?)")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }
}

/// Whose database a file is, and how its schema compares with this build's, read through a
/// read-only connection.
struct SchemaState {
    enum Identity: Equatable {
        /// A Lapse database: its `application_id`, or the first Lapse migration, says so.
        case lapse
        /// A SQLite database with no tables and no other program's application id: a new database.
        case empty
        /// Another program's database, and why Lapse thinks so.
        case foreign(String)
    }

    var identity: Identity
    /// Migrations applied to the file that this build does not know.
    var unknownMigrations: [String]
    var userVersion: Int
    /// Migrations of this build that the file has not had yet.
    var isBehind: Bool

    /// Written by a newer Lapse: it has a migration this build does not know, or a higher schema version.
    var isNewer: Bool { !unknownMigrations.isEmpty || userVersion > Schema.version }

    init(_ db: Database) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        let applied: [String] = tables.contains("grdb_migrations")
            ? (try? String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) ?? []
            : []
        let migrator = Schema.migrator
        let known = Set(migrator.migrations)
        unknownMigrations = applied.filter { !known.contains($0) }.sorted()
        if applicationID != 0, applicationID != Schema.applicationID {
            identity = .foreign("its application_id (\(String(format: "0x%08X", UInt32(bitPattern: applicationID)))) marks it as another program's file")
        } else if applicationID == Schema.applicationID || applied.contains(Schema.firstMigration) {
            identity = .lapse
        } else if tables.isEmpty {
            identity = .empty
        } else {
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            identity = .foreign("it is a SQLite database of another program (tables \(shown)), with no Lapse schema")
        }
        isBehind = try identity == .lapse && !migrator.hasCompletedMigrations(db)
    }
}

/// A process holding the write lock of a database, as far as the system tells.
public struct LockHolder: Sendable, CustomStringConvertible {
    public var pid: Int32
    /// The process's command name (`/proc/PID/comm`): another user's process may hide it.
    public var name: String?

    /// Another `lapse` (an import, most likely).
    public var isLapse: Bool { name == "lapse" || name == "lapse-bench" }

    public var description: String {
        if isLapse { return "another lapse process (pid \(pid))" }
        if let name { return "\(name) (pid \(pid))" }
        return "process \(pid)"
    }

    /// The other process holding the write lock of the WAL database at `path`: SQLite takes it as
    /// a POSIX lock on byte 120 of the `-shm` file, which `/proc/locks` lists with its owner. Read
    /// from there because opening the `-shm` file here and closing it would drop this process's
    /// own SQLite locks on it. Nil where `/proc` is missing or nobody else holds it.
    static func find(databasePath path: String) -> LockHolder? {
        #if os(Linux)
        var info = stat()
        guard stat(path + "-shm", &info) == 0,
              let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let inode = String(info.st_ino)
        for line in locks.split(separator: "\n") where !line.contains("->") {
            // "1: POSIX  ADVISORY  WRITE 4242 fd:01:1234567 120 120"
            let fields = line.split(separator: " ")
            guard fields.count >= 8, fields[1] == "POSIX", fields[3] == "WRITE",
                  fields[5].split(separator: ":").last.map(String.init) == inode,
                  let pid = Int32(fields[4]), pid != getpid(),
                  let start = Int(fields[6]), start <= 120,
                  fields[7] == "EOF" || (Int(fields[7]).map { $0 >= 120 } ?? false) else { continue }
            let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return LockHolder(pid: pid, name: name?.isEmpty == false ? name : nil)
        }
        #endif
        return nil
    }
}
