import Foundation
import LapseCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The store on a PostgreSQL server: the same contract as the SQLite file (LapseCore/Store),
/// for a team that shares one record. Calls block their thread until the server answers, as
/// SQLite calls do; front ends already make them off any event loop.
///
/// Writes take one transaction-level advisory lock, so they happen one at a time as on SQLite
/// and can neither lose nor mix each other's work; reads never wait for them and see one
/// committed state (a read-only REPEATABLE READ transaction per call).
public final class PostgresStore: Sendable {
    let pool: ConnectionPool
    public let location: PostgresLocation
    /// Writers of this process take a connection one at a time.
    let writers = NSLock()
    /// How long a write waits for another program's write before it gives up (seconds).
    public let lockTimeout: Double

    /// Opens the store at `location`, applying its migrations unless `migrating` is false (then
    /// a database that lacks one is refused, naming `lapse db migrate`).
    public static func open(_ location: PostgresLocation, migrating: Bool = true, poolSize: Int = 8, lockTimeout: Double = 300) throws -> PostgresStore {
        let store = PostgresStore(location: location, poolSize: poolSize, lockTimeout: lockTimeout)
        do {
            try store.pool.withSession { try PostgresSchema.prepare($0, migrating: migrating) }
        } catch {
            store.close()
            throw Self.failure(for: error, location: location)
        }
        return store
    }

    /// Opens the store named by a `postgresql://` URL.
    public static func open(url: String, migrating: Bool = true) throws -> PostgresStore {
        try open(try PostgresLocation(url: url), migrating: migrating)
    }

    init(location: PostgresLocation, poolSize: Int, lockTimeout: Double = 300) {
        self.location = location
        self.lockTimeout = lockTimeout
        pool = ConnectionPool(location: location, size: poolSize)
    }

    deinit {
        pool.closeAll()
    }

    /// Closes every connection; the store must not be used afterwards.
    public func close() {
        pool.closeAll()
    }

    /// Applies the migrations this build knows to the database at `location` (which may lack
    /// every table) and returns the versions applied; none when it was up to date.
    public static func migrate(_ location: PostgresLocation) throws -> [Int] {
        let store = PostgresStore(location: location, poolSize: 1)
        defer { store.close() }
        do {
            return try store.pool.withSession { session in
                let applied = try PostgresSchema.appliedVersions(session)
                if let newest = applied.max(), newest > PostgresSchema.version {
                    throw PostgresUnavailable.newerSchema(location: "", version: newest, known: PostgresSchema.version)
                }
                return try PostgresSchema.migrate(session)
            }
        } catch {
            throw Self.failure(for: error, location: location)
        }
    }

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { PostgresSchema.version }

    // MARK: Transactions

    /// Runs `body` in a read-only transaction that sees one committed state throughout.
    func read<T>(_ body: (Session) throws -> T) throws -> T {
        try mappingErrors {
            try pool.withSession { session in
                do {
                    try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    let result = try body(session)
                    try session.execute("COMMIT")
                    return result
                } catch {
                    session.rollback()
                    throw error
                }
            }
        }
    }

    /// Runs `body` in a write transaction holding the store's write lock; rolls back when it
    /// throws or when `rollback` is set (a dry run). A serialization failure or deadlock (which
    /// a write can meet only against a writer of another program) is retried, at most
    /// `Self.attempts` times, when `retrying`.
    func write<T>(rollback: Bool = false, retrying: Bool = true, _ body: (Session) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                // One writer of this process at a time takes a connection: writers waiting for
                // the lock never hold every connection of the pool, so reads go on meanwhile.
                writers.lock()
                defer { writers.unlock() }
                return try mappingErrors {
                    try pool.withSession { session in
                        do {
                            try session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                            // Waiting for the lock ends after `lockTimeout` (55P03, reported as locked).
                            try session.execute("SELECT set_config('lock_timeout', $1, true)", [.text("\(max(1, Int(lockTimeout * 1000)))ms")])
                            try session.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.writeLockKey)])
                            try session.execute("SELECT set_config('lock_timeout', '0', true)")
                            let result = try body(session)
                            try session.execute(rollback ? "ROLLBACK" : "COMMIT")
                            return result
                        } catch {
                            session.rollback()
                            throw error
                        }
                    }
                }
            } catch let failure as RetryableFailure {
                guard retrying, attempt < Self.attempts else { throw StoreFailure.database(failure.message) }
                attempt += 1
                Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.05) * Double(attempt))
            }
        }
    }

    /// The advisory lock every write holds: "LAPS" in ASCII, then "WRIT".
    static let writeLockKey = 0x4C41_5053_5752_4954
    /// How many times a write meets a serialization failure before it gives up.
    static let attempts = 8

    // MARK: Errors

    /// Runs `body`, turning a PostgreSQL error into the contract's errors.
    func mappingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Self.failure(for: error, location: location)
        }
    }

    static func failure(for error: any Error, location: PostgresLocation) -> any Error {
        if let error = error as? PSQLError {
            let code = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            switch code {
            case "40001", "40P01": return RetryableFailure(message: message)
            case _ where code.hasPrefix("23"): return StoreFailure.constraint(message + detail)
            case "42501": return PostgresUnavailable.notAllowed(location: location.description, message: message)
            case "3D000", "28000", "28P01": return PostgresUnavailable.cannotConnect(location: location.description, reason: message)
            case "55P03": return PostgresUnavailable.locked(location: location.description)
            default:
                if code.isEmpty { return PostgresUnavailable.cannotConnect(location: location.description, reason: "\(error.code)") }
                return StoreFailure.database(message + detail)
            }
        }
        if error is ChannelError || error is IOError || error is NIOConnectionError {
            return PostgresUnavailable.cannotConnect(location: location.description, reason: "\(error)")
        }
        if let error = error as? PostgresUnavailable { return error.at(location.description) }
        if let error = error as? RetryableFailure { return StoreFailure.database(error.message) }
        if error is PostgresDecodingError { return StoreFailure.database("a value read from \(location) is not what Lapse stored: \(error)") }
        return error
    }
}

/// A serialization failure or deadlock: the transaction may succeed if run again.
struct RetryableFailure: Error {
    let message: String
}

/// Why a PostgreSQL store could not be opened or used, in words that say how to fix it.
public enum PostgresUnavailable: StoreUnavailable, Sendable {
    case cannotConnect(location: String, reason: String)
    case notAllowed(location: String, message: String)
    case needsMigration(location: String, versions: [Int])
    case newerSchema(location: String, version: Int, known: Int)
    case badURL(String, reason: String)
    case locked(location: String)

    /// The same error naming `location` where it was thrown without one.
    func at(_ location: String) -> PostgresUnavailable {
        switch self {
        case .needsMigration("", let versions): .needsMigration(location: location, versions: versions)
        case .newerSchema("", let version, let known): .newerSchema(location: location, version: version, known: known)
        default: self
        }
    }

    public var description: String {
        switch self {
        case .cannotConnect(let location, let reason):
            "cannot reach the PostgreSQL database \(location): \(reason); expected a running server and a role that may connect (see Docs/team.md)"
        case .notAllowed(let location, let message):
            "the PostgreSQL database \(location) refused: \(message); the role lacks a grant this needs (a read-only role cannot write; only the schema's owner can migrate it: see Docs/team.md)"
        case .needsMigration(let location, let versions):
            "the PostgreSQL database \(location) lacks migration\(versions.count == 1 ? "" : "s") \(versions.map(String.init).joined(separator: ", ")); run `lapse db migrate --db URL` as a role that may change the schema"
        case .newerSchema(let location, let version, let known):
            "the PostgreSQL database \(location) has schema version \(version), newer than this Lapse knows (\(known)); upgrade Lapse"
        case .locked(let location):
            "another program held the write lock of the PostgreSQL database \(location) for longer than LAPSE_LOCK_TIMEOUT allows; nothing was written: try again"
        case .badURL(let url, let reason):
            "\"\(PostgresLocation.redacted(url))\" is not a PostgreSQL URL Lapse can use: \(reason); expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or postgresql:///DATABASE?host=/socket/folder"
        }
    }
}

/// Where a PostgreSQL database is: a host and port or a Unix socket folder, a role, a database.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String?
    public var port: Int
    /// The folder of the server's Unix socket (`?host=/folder`), used instead of `host`.
    public var socketFolder: String?
    public var user: String
    public var password: String?
    public var database: String
    /// `?sslmode=require`: TLS to the server.
    public var requireTLS: Bool

    /// True when `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(host: String? = nil, port: Int = 5432, socketFolder: String? = nil, user: String, password: String? = nil,
                database: String, requireTLS: Bool = false) {
        self.host = host
        self.port = port
        self.socketFolder = socketFolder
        self.user = user
        self.password = password
        self.database = database
        self.requireTLS = requireTLS
    }

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(url) else {
            throw PostgresUnavailable.badURL(url, reason: "it does not start with postgresql://")
        }
        guard let components = URLComponents(string: url) else {
            throw PostgresUnavailable.badURL(url, reason: "it is not a well-formed URL (percent-encode characters such as spaces, @, / and % in the user, password or name)")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        for name in query.keys where !["host", "port", "sslmode", "user", "password"].contains(name) {
            throw PostgresUnavailable.badURL(url, reason: "unknown parameter \"\(name)\" (known: host, port, sslmode, user, password)")
        }
        let hostParameter = query["host"].flatMap { $0.isEmpty ? nil : $0 }
        socketFolder = hostParameter.flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? hostParameter.flatMap { $0.hasPrefix("/") ? nil : $0 }
        if host == nil && socketFolder == nil { socketFolder = Self.defaultSocketFolder }
        if let text = query["port"] {
            guard let value = Int(text), (1...65535).contains(value) else { throw PostgresUnavailable.badURL(url, reason: "port \"\(text)\" is not a number from 1 to 65535") }
            port = value
        } else {
            port = components.port ?? 5432
        }
        guard (1...65535).contains(port) else { throw PostgresUnavailable.badURL(url, reason: "the port is not from 1 to 65535") }
        user = components.user ?? query["user"] ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = components.password ?? query["password"] ?? environment["PGPASSWORD"]
        let path = components.path
        database = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if database.isEmpty { database = user }
        guard !database.contains("/") else { throw PostgresUnavailable.badURL(url, reason: "the database name contains \"/\"") }
        switch query["sslmode"] ?? "disable" {
        case "disable", "allow", "prefer": requireTLS = false
        case "require", "verify-ca", "verify-full": requireTLS = true
        case let other: throw PostgresUnavailable.badURL(url, reason: "sslmode \"\(other)\" is not one of disable, prefer, require, verify-full")
        }
    }

    /// `text` with the password of a URL left out, to show in messages.
    public static func redacted(_ text: String) -> String {
        guard isURL(text) else { return text }
        guard var components = URLComponents(string: text) else {
            // Not a URL Foundation can read: leave out everything between the scheme and the last "@".
            guard let scheme = text.range(of: "://"), let at = text.range(of: "@", options: .backwards), at.lowerBound > scheme.upperBound else { return text }
            return String(text[..<scheme.upperBound]) + "…" + String(text[at.lowerBound...])
        }
        if components.password != nil { components.password = nil }
        if let items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            components.queryItems = items.filter { $0.name != "password" }
        }
        return components.string ?? text
    }

    /// The TLS settings of every connection that requires TLS (the system's trusted roots, the
    /// host name checked), made once.
    static let tls: NIOSSLContext? = try? NIOSSLContext(configuration: .makeClientConfiguration())

    /// Where Debian's PostgreSQL puts its socket.
    static let defaultSocketFolder = "/var/run/postgresql"

    /// The URL without its password.
    public var description: String {
        if let socketFolder { return "postgresql://\(user)@/\(database)?host=\(socketFolder)&port=\(port)" }
        return "postgresql://\(user)@\(host ?? "localhost"):\(port)/\(database)"
    }

    var configuration: PostgresConnection.Configuration {
        if let socketFolder {
            return .init(unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        return .init(host: host ?? "localhost", port: port, username: user, password: password, database: database,
                     tls: requireTLS ? Self.tls.map { .require($0) } ?? .disable : .disable)
    }
}

/// A fixed number of connections, opened on first use and handed to one caller at a time;
/// a caller that finds them all busy waits for one.
final class ConnectionPool: @unchecked Sendable {
    /// The event loops of every PostgreSQL connection, kept apart from the ones a server runs
    /// its requests on: the store waits for its results, which must never happen on a loop
    /// that the awaited work itself needs.
    static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    let location: PostgresLocation
    let size: Int
    private let logger = Logger(label: "lapse.postgres")
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var closed = false
    private var nextID = 0

    init(location: PostgresLocation, size: Int) {
        self.location = location
        self.size = max(1, size)
    }

    func withSession<T>(_ body: (Session) throws -> T) throws -> T {
        let connection = try take()
        var healthy = true
        defer { give(connection, healthy: healthy) }
        do {
            return try body(Session(connection: connection, logger: logger))
        } catch {
            // A failed transaction is rolled back by the caller; a connection that lost its
            // channel is dropped.
            healthy = !connection.isClosed
            throw error
        }
    }

    private func take() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw StoreFailure.database("the PostgreSQL store is closed")
            }
            if let connection = idle.popLast() {
                if connection.isClosed {
                    open -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if open < size { break }
            condition.wait()
        }
        open += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try PostgresConnection.connect(on: Self.loops.any(), configuration: location.configuration,
                                                  id: id, logger: logger).wait()
        } catch {
            condition.lock()
            open -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func give(_ connection: PostgresConnection, healthy: Bool) {
        condition.lock()
        let closeNow = closed || !healthy
        if closeNow { open -= 1 } else { idle.append(connection) }
        condition.signal()
        condition.unlock()
        if closeNow { _ = try? connection.close().wait() }
    }

    func closeAll() {
        condition.lock()
        closed = true
        let connections = idle
        idle = []
        condition.broadcast()
        condition.unlock()
        for connection in connections { _ = try? connection.close().wait() }
    }
}
