import CSQLiteTuning
import Foundation
import GRDB
import LapseCore

/// The embedded store: owns the one database connection pool and offers
/// invariant-preserving transactions over the domain model.
public struct LapseDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Opens (creating it and its folder on first use) the database file at `path`,
    /// in WAL mode with a busy timeout so that concurrent `lapse` processes wait for each other.
    public static func open(path: String) throws -> LapseDatabase {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "cannot create the folder \(folder.path): \(error.localizedDescription)")
        }
        do {
            let manager = FileManager.default
            if manager.fileExists(atPath: path),
               !manager.isWritableFile(atPath: path) || !manager.isWritableFile(atPath: folder.path) {
                // A database the user may read but not write (a shared copy, a read-only mount):
                // open it read-only; commands that write then fail with SQLite's own message.
                var config = configuration
                config.readonly = true
                let queue: DatabaseQueue
                do {
                    queue = try DatabaseQueue(path: path, configuration: config)
                } catch let error as DatabaseError {
                    throw StoreError.cannotOpen(path: path, reason: "it is read-only, and so is its folder (\(error.message ?? "\(error)")); SQLite needs to create a -shm file beside a WAL database to read it: copy the file to a writable folder")
                }
                guard try queue.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
                    throw StoreError.cannotOpen(path: path, reason: "it is read-only and was made by an older Lapse; open it once with write access to upgrade it")
                }
                return LapseDatabase(writer: queue)
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            return try LapseDatabase(migrating: pool)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? error.description)
        }
    }

    /// A private in-memory database, for tests and dry runs.
    public static func inMemory() throws -> LapseDatabase {
        try LapseDatabase(migrating: DatabaseQueue(configuration: configuration))
    }

    /// Process-wide SQLite settings, for an executable to make first thing, before any thread
    /// or database exists (`sqlite3_config` is not thread-safe): no memory statistics (Lapse never
    /// reads them, and they lock a mutex around every allocation). True when applied.
    @discardableResult
    public static func configureProcess() -> Bool {
        lapse_sqlite_disable_memory_statistics() == 0
    }

    private static var configuration: Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            // NORMAL is durable in WAL mode except for the last transaction on power loss;
            // a larger page cache keeps big imports off the disk until commit. Reading through a
            // memory map saves a system call per page: a company query touches thousands of pages.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824")
        }
        return config
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    private init(migrating writer: any DatabaseWriter) throws {
        self.writer = writer
        let migrator = Schema.migrator
        do {
            try migrator.migrate(writer)
        } catch {
            // Another process may have migrated between our check and our write: fine if it is done.
            guard try writer.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is written, or none;
    /// with `rollback`, none of it, whatever happens (dry runs).
    func writeTransaction<T>(rollback: Bool = false, _ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                if rollback { return .rollback }
                try db.cachedStatement(sql: "UPDATE store_generation SET n = n + 1").execute()
                return .commit
            }
            return result!
        }
    }
}

/// Failures of the store that are not about the user's data.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database \(path): \(reason); pass --db PATH or set LAPSE_DB to choose another file"
        }
    }
}
