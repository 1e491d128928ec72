import Foundation
import Testing

@Suite("The lapse executable")
struct ProcessTests {
    /// The built `lapse` executable, beside the test bundle.
    func executable() throws -> URL {
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(projectRoot.appendingPathComponent(".build/debug"))
        let found = candidates.map { $0.appendingPathComponent("lapse") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "the lapse executable was not built next to the tests")
    }

    func run(_ binary: URL, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test("two lapse processes writing at the same moment both succeed")
    func concurrentWriters() throws {
        let binary = try executable()
        let w = try Workspace()
        #expect(w.run(["party", "add", "acme", "--name", "Acme", "--kind", "organization"]).code == 0)
        #expect(w.run(["incident", "add", "a-1", "--title", "A", "--organization", "acme", "--kind", "outage"]).code == 0)
        var processes: [Process] = []
        for writer in 0..<2 {
            for i in 0..<8 {
                processes.append(try run(binary, ["log", "a-1", "statement", "--at", "2020-01-0\(i + 1)",
                                                  "--summary", "writer \(writer) event \(i)", "--db", w.db]))
            }
            processes.append(try run(binary, ["party", "add", "p\(writer)", "--name", "P\(writer)", "--kind", "group", "--db", w.db]))
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let json = w.run(["show", "a-1", "--format", "json"]).out
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((shown["timeline"] as? [Any])?.count == 16)
        #expect(w.run(["parties", "--format", "csv"]).out.contains("p1,P1,group"))
    }

    @Test("standard output on a full device (ENOSPC): a plain message and exit 74, never a crash", arguments: [
        ["incidents"], ["generate", "--incidents", "50"], ["export"], ["export", "--format", "ics"], ["report", "all"],
    ])
    func fullStandardOutput(arguments: [String]) throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"), "/dev/full is needed to produce a real ENOSPC")
        let binary = try executable()
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments + (arguments[0] == "generate" ? [] : ["--db", w.db])
        p.standardOutput = full
        let errors = Pipe()
        p.standardError = errors
        try p.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 74, "\(message)")
        #expect(message == "lapse: error: no space left on device while writing standard output; what was written is incomplete\n")
    }

    @Test("the executable exits with the documented codes")
    func exitCodes() throws {
        let binary = try executable()
        let w = try Workspace()
        let ok = try run(binary, ["parties", "--db", w.db]); ok.waitUntilExit()
        #expect(ok.terminationStatus == 0)
        let usage = try run(binary, ["parties", "--kind", "nope", "--db", w.db]); usage.waitUntilExit()
        #expect(usage.terminationStatus == 64)
        let missing = try run(binary, ["show", "nope", "--db", w.db]); missing.waitUntilExit()
        #expect(missing.terminationStatus == 65)
    }
}
