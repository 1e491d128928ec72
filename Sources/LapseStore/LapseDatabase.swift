import CSQLiteTuning
import Foundation
import GRDB
import LapseCore

/// The embedded store: owns the one database connection pool and offers
/// invariant-preserving transactions over the domain model.
public struct LapseDatabase: Sendable {
    let writer: any DatabaseWriter
    /// The database file (nil in memory), for errors that name it.
    let path: String?
    /// How long a write waits for another program's write to end.
    let wait: LockWait
    /// Something the user should know about this database before reading it (a newer or an older
    /// schema, read as it is), or nil.
    public let notice: String?

    /// What a command does with the database.
    public enum Access: Sendable {
        /// Reads only: takes no lock, never waits for a writer, never changes the file (except to
        /// upgrade an older schema, and only when no other program is writing).
        case read
        /// Writes: may wait for another writer (see `LockWait`), upgrades an older schema.
        case write
    }

    /// Opens (creating it and its folder on first use) the database file at `path`, in WAL mode.
    ///
    /// The file is first looked at through a read-only connection, which takes no lock that a
    /// writer holds and changes nothing: a file that is not a SQLite database, or a SQLite
    /// database of another program, is refused untouched; a database written by a newer Lapse is
    /// read but never written.
    public static func open(path: String, access: Access = .write, waiting wait: LockWait = LockWait()) throws -> LapseDatabase {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue {
                throw StoreError.cannotOpen(path: path, reason: "it is a folder; expected a database file")
            }
            if try DatabaseFile.size(path) > 0 {
                return try openExisting(path: path, folder: folder, access: access, wait: wait)
            }
        } else {
            do {
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "cannot create the folder \(folder.path): \(error.localizedDescription)")
            }
        }
        // A new (or empty) file: nobody else's data, so it is made a Lapse database whatever the access.
        return try openWritable(path: path, wait: wait, migrating: true)
    }

    /// A private in-memory database, for tests and dry runs.
    public static func inMemory() throws -> LapseDatabase {
        let queue = try DatabaseQueue(configuration: configuration(busy: .immediateError))
        try migrate(queue)
        return LapseDatabase(writer: queue, path: nil, wait: LockWait(), notice: nil)
    }

    /// Process-wide SQLite settings, for an executable to make first thing, before any thread
    /// or database exists (`sqlite3_config` is not thread-safe): no memory statistics (Lapse never
    /// reads them, and they lock a mutex around every allocation). True when applied.
    @discardableResult
    public static func configureProcess() -> Bool {
        lapse_sqlite_disable_memory_statistics() == 0
    }

    // MARK: - Opening

    private static func openExisting(path: String, folder: URL, access: Access, wait: LockWait) throws -> LapseDatabase {
        guard try DatabaseFile.hasSQLiteHeader(path) else {
            throw StoreError.notLapse(path: path, reason: "it is not a SQLite database")
        }
        let manager = FileManager.default
        let writable = manager.isWritableFile(atPath: path) && manager.isWritableFile(atPath: folder.path)
        // Read-only connections: in WAL mode they take no lock a writer holds, and they write nothing.
        let reader: DatabasePool
        let state: SchemaState
        do {
            reader = try DatabasePool(path: path, configuration: configuration(readonly: true, busy: .timeout(10)))
            state = try reader.read(SchemaState.init)
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB {
                throw StoreError.notLapse(path: path, reason: "it is not a SQLite database")
            }
            if !manager.isWritableFile(atPath: folder.path) {
                throw StoreError.cannotOpen(path: path, reason: "it is read-only, and so is its folder (\(error.message ?? "\(error)")); SQLite needs to create a -shm file beside a WAL database to read it: copy the file to a writable folder")
            }
            throw StoreError.cannotOpen(path: path, reason: error.message ?? error.description)
        }
        switch state.identity {
        case .foreign(let reason):
            throw StoreError.notLapse(path: path, reason: reason)
        case .empty:
            return try openWritable(path: path, wait: wait, migrating: true)
        case .lapse:
            break
        }
        if state.isNewer {
            guard access == .read else {
                throw StoreError.newerDatabase(path: path, unknownMigration: state.unknownMigrations.first, version: state.userVersion)
            }
            let notice = "\(path) was written by a newer Lapse (\(StoreError.newness(state.unknownMigrations.first, state.userVersion))); reading what this version understands; upgrade Lapse to write to it"
            return LapseDatabase(writer: reader, path: path, wait: wait, notice: notice)
        }
        switch (access, state.isBehind) {
        case (.read, false):
            return LapseDatabase(writer: reader, path: path, wait: wait, notice: nil)
        case (.read, true):
            // Upgrade only if nobody is writing at this moment: a read never waits for a writer.
            if writable {
                do {
                    return try openWritable(path: path, wait: LockWait(noticeAfter: 0, giveUpAfter: 0), migrating: true)
                } catch StoreError.locked {}
            }
            let why = writable ? "another program is writing to it" : "it is read-only"
            let notice = "\(path) was made by an older Lapse and could not be upgraded now (\(why)); reading what this version can: some commands may fail until a command that writes (with write access) upgrades it"
            return LapseDatabase(writer: reader, path: path, wait: wait, notice: notice)
        case (.write, _):
            guard writable else {
                throw StoreError.readOnly(path: path)
            }
            return try openWritable(path: path, wait: wait, migrating: state.isBehind)
        }
    }

    /// A read-write pool; with `migrating`, brought up to this build's schema.
    private static func openWritable(path: String, wait: LockWait, migrating: Bool) throws -> LapseDatabase {
        let busy = wait.busyMode(path: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration(busy: busy))
            if migrating { try migrate(pool) }
            return LapseDatabase(writer: pool, path: path, wait: wait, notice: nil)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.locked(path: path, holder: LockHolder.find(databasePath: path), waited: wait.giveUpAfter)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? error.description)
        }
    }

    private static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = Schema.migrator
        do {
            try migrator.migrate(writer)
        } catch {
            // Another process may have migrated between our check and our write: fine if it is done.
            guard try writer.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }

    private static func configuration(readonly: Bool = false, busy: Database.BusyMode) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.foreignKeysEnabled = true
        config.busyMode = busy
        config.prepareDatabase { db in
            // NORMAL is durable in WAL mode except for the last transaction on power loss;
            // a larger page cache keeps big imports off the disk until commit. Reading through a
            // memory map saves a system call per page: a company query touches thousands of pages.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824")
        }
        return config
    }

    // MARK: - Writing

    /// Runs `body` in one IMMEDIATE transaction: all of it is written, or none;
    /// with `rollback`, none of it, whatever happens (dry runs).
    func writeTransaction<T>(rollback: Bool = false, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    if rollback { return .rollback }
                    try db.cachedStatement(sql: "UPDATE store_generation SET n = n + 1").execute()
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && path != nil {
            throw StoreError.locked(path: path!, holder: LockHolder.find(databasePath: path!), waited: wait.giveUpAfter)
        }
    }
}

/// Failures of the store that are not about the user's data.
public enum StoreError: StoreUnavailable, Sendable {
    case cannotOpen(path: String, reason: String)
    /// The file is not a Lapse database (not SQLite, or another program's); it was left unchanged.
    case notLapse(path: String, reason: String)
    /// A newer Lapse wrote the database: this build may read it but not write it.
    case newerDatabase(path: String, unknownMigration: String?, version: Int)
    /// A write was asked of a file (or folder) the user may not write.
    case readOnly(path: String)
    /// Another process held the write lock for all of `waited` seconds.
    case locked(path: String, holder: LockHolder?, waited: TimeInterval)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database \(path): \(reason); pass --db PATH or set LAPSE_DB to choose another file"
        case .notLapse(let path, let reason):
            "\(path) is not a Lapse database: \(reason); Lapse left it unchanged. Pass --db with a Lapse database or a new file name (or set LAPSE_DB)"
        case .newerDatabase(let path, let migration, let version):
            "\(path) was written by a newer Lapse (\(Self.newness(migration, version))): upgrade Lapse to write to it; this version only reads it"
        case .readOnly(let path):
            "cannot write to the database \(path): the file or its folder is read-only; give yourself write access, or copy it to a writable folder and pass --db with the copy"
        case .locked(let path, let holder, let waited):
            Self.locked(path, holder, waited)
        }
    }

    private static func locked(_ path: String, _ holder: LockHolder?, _ waited: TimeInterval) -> String {
        let during = waited < 1 ? "" : " for \(duration(waited))"
        return switch holder {
        case .some(let holder) where holder.isLapse:
            "the database \(path) is locked: \(holder) was writing to it\(during); wait for it to finish and run the command again (LAPSE_LOCK_TIMEOUT sets how long to wait)"
        case .some(let holder):
            "the database \(path) is locked: \(holder) held a write transaction on it\(during); end that transaction (COMMIT or ROLLBACK) or quit that program, then run the command again"
        case .none:
            "the database \(path) is locked: another program held a write transaction on it\(during); end that transaction or quit that program (`fuser \(path)` lists the processes that have it open), then run the command again"
        }
    }

    static func newness(_ migration: String?, _ version: Int) -> String {
        if let migration { return "migration \"\(migration)\" unknown to this version" }
        return "schema version \(version); this version knows up to \(Schema.version)"
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds)
        return switch whole {
        case 1: "1 second"
        case ..<120: "\(whole) seconds"
        default: "\(whole / 60) minutes"
        }
    }
}
