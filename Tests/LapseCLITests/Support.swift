import Foundation
import Testing
@testable import LapseCLI

/// A temporary folder with a database path, removed at the end of the test.
final class Workspace {
    let url: URL
    var db: String { url.appendingPathComponent("lapse.sqlite").path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes a file in the workspace and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `lapse` on this workspace's database, through the same code path as the executable.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], passDB: Bool = true, terminal: Bool = false) -> Result {
        let console = Console.capture(environment: environment, terminal: terminal)
        let code = LapseMain.run(arguments + (passDB ? ["--db", db] : []), console: console)
        return Result(code: code, out: console.output, err: console.errorOutput)
    }

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }
}

/// The project's folder, to reach the bundled sample data.
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sampleData = projectRoot.appendingPathComponent("sample-data").path

func fixture(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
}

/// Tests that need more than the Swift toolchain (a Python package, Chromium, a database server)
/// call this first. When the tool is absent the test prints why it is skipped and passes, unless
/// `LAPSE_REQUIRE_ALL=1` (set by `.ci/run`), where a missing tool is a failure.
func externalToolAvailable(_ what: String, _ available: Bool, install: String) -> Bool {
    if available { return true }
    let reason = "\(what) is not available (\(install))"
    if ProcessInfo.processInfo.environment["LAPSE_REQUIRE_ALL"] == "1" {
        Issue.record("LAPSE_REQUIRE_ALL=1 but \(reason)")
    } else {
        print("SKIPPED: \(reason); set LAPSE_REQUIRE_ALL=1 to make this a failure")
    }
    return false
}

/// Whether `python3 -c "import MODULE"` succeeds.
func pythonHasModule(_ module: String) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import \(module)"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}
