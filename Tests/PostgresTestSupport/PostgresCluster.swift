import Foundation
import LapsePostgres

/// A throwaway PostgreSQL cluster for the tests: `initdb` and `pg_ctl` in a temporary folder,
/// listening on a Unix socket in that folder only (no TCP port), stopped and removed when the
/// test process exits. PostgreSQL refuses to run as root, so under root the server runs as the
/// `postgres` user that Debian's `postgresql` package creates.
///
/// Each test gets a database of its own, copied from a template that was migrated once.
public final class PostgresCluster: Sendable {
    /// The cluster of this test process, started on first use; or why there is none.
    public static let shared: Result<PostgresCluster, ClusterUnavailable> = {
        do { return .success(try PostgresCluster.start()) } catch let error as ClusterUnavailable {
            return .failure(error)
        } catch {
            return .failure(ClusterUnavailable(reason: "\(error)"))
        }
    }()

    /// The cluster for a test, or nil after saying why there is none: printed as a skip, or,
    /// under `LAPSE_REQUIRE_ALL=1` (set by `.ci/run`), handed to `fail` (the test's
    /// `Issue.record`) so that the test fails.
    public static func forTest(fail: (String) -> Void) -> PostgresCluster? {
        switch shared {
        case .success(let cluster): return cluster
        case .failure(let why):
            let reason = "no PostgreSQL server for the tests: \(why.reason)"
            if ProcessInfo.processInfo.environment["LAPSE_REQUIRE_ALL"] == "1" {
                fail("LAPSE_REQUIRE_ALL=1 but \(reason)")
            } else {
                print("SKIPPED: \(reason); set LAPSE_REQUIRE_ALL=1 to make this a failure")
            }
            return nil
        }
    }

    public let folder: URL
    public let port: Int
    let binaries: URL
    let counter = Counter()
    static let template = "lapse_template"

    /// A `postgresql://` URL naming `database` in this cluster.
    public func url(database: String) -> String {
        "postgresql://lapse@/\(database)?host=\(folder.path)&port=\(port)"
    }

    /// A new, migrated, empty database; its URL.
    public func newDatabase() throws -> String {
        let name = "lapse_\(counter.next())"
        try run("createdb", ["-h", folder.path, "-p", String(port), "-U", "lapse", "-T", Self.template, name])
        return url(database: name)
    }

    /// A new, migrated, empty store.
    public func newStore() throws -> PostgresStore {
        try PostgresStore.open(url: newDatabase(), migrating: false)
    }

    /// A new database with no schema at all: for tests of migrating.
    public func newEmptyDatabase() throws -> String {
        let name = "lapse_\(counter.next())"
        try run("createdb", ["-h", folder.path, "-p", String(port), "-U", "lapse", "-T", "template0", name])
        return url(database: name)
    }

    private init(folder: URL, port: Int, binaries: URL) {
        self.folder = folder
        self.port = port
        self.binaries = binaries
    }

    static func start() throws -> PostgresCluster {
        guard let binaries = findBinaries() else {
            throw ClusterUnavailable(reason: "PostgreSQL's binaries (initdb, pg_ctl) are not installed under /usr/lib/postgresql/*/bin; install the postgresql package")
        }
        let asRoot = getuid() == 0
        var runAs: String?
        if asRoot {
            guard let user = getpwnam("postgres") else {
                throw ClusterUnavailable(reason: "running as root and there is no postgres user to run the server as")
            }
            runAs = "postgres"
            _ = user
        }
        // A short path: a Unix socket's path is limited to 107 bytes.
        let folder = URL(fileURLWithPath: "/tmp/lapse-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let runAs, let user = getpwnam(runAs) {
            chown(folder.path, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        let data = folder.appendingPathComponent("data").path
        let port = Int.random(in: 20000...60000)
        let cluster = PostgresCluster(folder: folder, port: port, binaries: binaries)
        try cluster.run("initdb", ["-D", data, "-A", "trust", "-U", "lapse", "-E", "UTF8", "--locale=C", "-N"], as: runAs)
        let options = "-k \(folder.path) -c listen_addresses='' -p \(port) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try cluster.run("pg_ctl", ["-D", data, "-o", options, "-l", folder.appendingPathComponent("server.log").path, "-w", "-s", "start"], as: runAs)
        runningCluster = RunningCluster(pgCtl: binaries.appendingPathComponent("pg_ctl").path, data: data, folder: folder.path, runAs: runAs)
        atexit { stopRunningCluster() }
        try cluster.run("createdb", ["-h", folder.path, "-p", String(port), "-U", "lapse", "-T", "template0", template])
        let store = try PostgresStore.open(url: cluster.url(database: template), migrating: true)
        store.close()
        return cluster
    }

    static func findBinaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let sorted = versions.compactMap { Int($0) }.sorted(by: >)
        for version in sorted {
            let bin = root.appendingPathComponent(String(version)).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }

    @discardableResult
    func run(_ tool: String, _ arguments: [String], as user: String? = nil) throws -> String {
        let path = binaries.appendingPathComponent(tool).path
        let command = user.map { ["/usr/sbin/runuser", "-u", $0, "--", path] } ?? [path]
        let outputPath = folder.appendingPathComponent("\(tool)-\(counter.next()).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try spawnAndWait(command + arguments, output: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw ClusterUnavailable(reason: "\(tool) \(arguments.joined(separator: " ")) failed (\(status)): \(text)")
        }
        return text
    }
}

/// Runs a command with its output to a file and waits for it, with posix_spawn and waitpid.
/// Not Foundation's `Process`: on Linux it learns that a child ended when a socket it shares
/// with the child closes, and the server that `pg_ctl start` leaves running inherits that
/// socket, so `waitUntilExit` would never return. Every descriptor above stderr is closed in
/// the child for the same reason.
func spawnAndWait(_ command: [String], output: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Closing a descriptor that another thread closed meanwhile is not an error for glibc.
    let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    for fd in open.compactMap({ Int32($0) }) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    // Run from /tmp: the postgres user may not enter the current folder.
    let command = ["/usr/bin/env", "-C", "/tmp"] + command
    let argv = command.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw ClusterUnavailable(reason: "cannot run \(command[0]): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// Why the tests have no PostgreSQL cluster.
public struct ClusterUnavailable: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

struct RunningCluster {
    let pgCtl: String
    let data: String
    let folder: String
    let runAs: String?
}

nonisolated(unsafe) var runningCluster: RunningCluster?

/// Stops the cluster and removes its folder; called at exit.
func stopRunningCluster() {
    guard let cluster = runningCluster else { return }
    runningCluster = nil
    let stop = [cluster.pgCtl, "-D", cluster.data, "-m", "immediate", "-s", "-w", "stop"]
    _ = try? spawnAndWait(cluster.runAs.map { ["/usr/sbin/runuser", "-u", $0, "--"] + stop } ?? stop, output: "/dev/null")
    try? FileManager.default.removeItem(atPath: cluster.folder)
}
