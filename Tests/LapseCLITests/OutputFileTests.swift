import Foundation
import Testing
@testable import LapseCLI

/// Output files never destroy: the database, its companions, a command's inputs, an existing
/// file and a symbolic link's target are left byte for byte as they were.
@Suite("output files that cannot destroy")
struct OutputFileTests {
    /// The sample data imported, and the write-ahead log folded into the database file (the
    /// last connection to close does that), so its bytes stay the same from then on.
    func sampleWorkspace() throws -> Workspace {
        let w = try Workspace()
        #expect(w.run(["import", sampleData]).code == 0)
        #expect(w.run(["incidents"]).code == 0)
        return w
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// A CSV of two good rows and one bad one, for `import table --skip-invalid`.
    func tableImport(_ w: Workspace, rejects: String, extra: [String] = []) throws -> (file: String, arguments: [String]) {
        let file = try w.file("rows.csv", "id,org,seen\n1,A,2024-01-02\n2,B,2024-02-30\n3,C,2024-03-04\n")
        return (file, ["import", "table", file, "--id-column", "id", "--organization-column", "org", "--event", "detection=seen",
                       "--skip-invalid", "--rejects", rejects] + extra)
    }

    @Test("--output naming the database, or its -wal, is refused with exit 64 and the database stays whole", arguments: [
        ["export"], ["export", "--format", "ics"], ["report", "all"], ["report", "incident", "psn-2011", "--format", "html"],
    ])
    func outputIsTheDatabase(command: [String]) throws {
        let w = try sampleWorkspace()
        let before = try bytes(w.db)
        for target in [w.db, w.db + "-wal"] {
            let r = w.run(command + ["--output", target])
            #expect(r.code == 64, "\(r.err)")
            #expect(r.err.contains("--output \(target): it is the database"), "\(r.err)")
            #expect(r.err.contains("choose another file name"))
            #expect(try bytes(w.db) == before)
        }
        // Named through $LAPSE_DB, and through another spelling of the same path.
        let viaEnvironment = w.run(command + ["--output", w.url.path + "/./lapse.sqlite"], environment: ["LAPSE_DB": w.db], passDB: false)
        #expect(viaEnvironment.code == 64, "\(viaEnvironment.err)")
        #expect(try bytes(w.db) == before)
        #expect(w.run(["incidents", "--format", "csv"]).out.contains("psn-2011"), "still a working database")
    }

    @Test("a hard link to the database is the database (same device and inode)")
    func hardLinkToTheDatabase() throws {
        let w = try sampleWorkspace()
        let alias = w.url.appendingPathComponent("other-name.json").path
        #expect(link(w.db, alias) == 0)
        let before = try bytes(w.db)
        let r = w.run(["export", "--output", alias, "--force"])
        #expect(r.code == 64, "--force does not make the database writable: \(r.err)")
        #expect(r.err.contains("it is the database"), "\(r.err)")
        #expect(try bytes(w.db) == before)
    }

    @Test("--rejects naming the database is refused before anything is imported")
    func rejectsIsTheDatabase() throws {
        let w = try sampleWorkspace()
        let before = try bytes(w.db)
        let (_, arguments) = try tableImport(w, rejects: w.db)
        let r = w.run(arguments)
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("--rejects \(w.db): it is the database this command uses"), "\(r.err)")
        #expect(try bytes(w.db) == before)
        #expect(!w.run(["incidents", "--format", "csv"]).out.contains("\n1,"), "nothing was imported")
    }

    @Test("--rejects naming the input file is refused and the input is unchanged")
    func rejectsIsTheInput() throws {
        let w = try Workspace()
        let placeholder = w.url.appendingPathComponent("rows.csv").path
        let (file, arguments) = try tableImport(w, rejects: placeholder)
        let before = try bytes(file)
        let r = w.run(arguments)
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("--rejects \(file): it is an input file of this command"), "\(r.err)")
        #expect(try bytes(file) == before)
    }

    @Test("--rejects naming a file inside the imported VERIS folder is refused")
    func rejectsInsideImportedFolder() throws {
        let w = try Workspace()
        let folder = w.url.appendingPathComponent("veris")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let record = folder.appendingPathComponent("a.json").path
        try #"{"incident_id": "x", "victim": {"victim_id": "Acme"}, "timeline": {"incident": {"year": 2020}}}"#
            .write(toFile: record, atomically: true, encoding: .utf8)
        let before = try bytes(record)
        let r = w.run(["import", "veris", folder.path, "--skip-invalid", "--rejects", record, "--force"])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("--rejects \(record): it is an input file of this command"), "\(r.err)")
        #expect(try bytes(record) == before)
    }

    @Test("an existing file that is not empty needs --force; with it, it is replaced whole")
    func existingFileNeedsForce() throws {
        let w = try sampleWorkspace()
        let notes = try w.file("notes.txt", "my own notes\n")
        let r = w.run(["export", "--output", notes])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("--output \(notes): the file exists; add --force to replace it"), "\(r.err)")
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my own notes\n")

        let rejects = try w.file("rejects.txt", "earlier rejects\n")
        let (_, arguments) = try tableImport(w, rejects: rejects)
        let refused = w.run(arguments)
        #expect(refused.code == 64, "\(refused.err)")
        #expect(refused.err.contains("--rejects \(rejects): the file exists"), "\(refused.err)")
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "earlier rejects\n")

        let forced = w.run(["export", "--output", notes, "--force"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == w.run(["export"]).out)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: w.url.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "no temporary file is left behind: \(leftovers)")
    }

    @Test("an empty existing file (from mktemp) is written without --force")
    func emptyFileIsWritten() throws {
        let w = try sampleWorkspace()
        let empty = try w.file("empty.csv", "")
        let r = w.run(["report", "all", "--format", "csv", "--output", empty])
        #expect(r.code == 0, "\(r.err)")
        #expect(try String(contentsOfFile: empty, encoding: .utf8) == w.run(["report", "all", "--format", "csv"]).out)
        #expect(try !String(contentsOfFile: empty, encoding: .utf8).isEmpty)
    }

    @Test("--output that is a symbolic link is refused; with --force the link is replaced and its target left alone")
    func symbolicLink() throws {
        let w = try sampleWorkspace()
        let target = try w.file("precious.txt", "keep me\n")
        let link = w.url.appendingPathComponent("out.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)

        let r = w.run(["export", "--output", link])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("--output \(link): it is a symbolic link (to \(target))"), "\(r.err)")
        #expect(r.err.contains("add --force to replace the link"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")

        let forced = w.run(["export", "--output", link, "--force"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(forced.err.contains("replaced the symbolic link \(link) with a new file; \(target), where it pointed, is unchanged"), "\(forced.err)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil, "the link is now a file")
        #expect(try String(contentsOfFile: link, encoding: .utf8).contains("\"format\" : \"lapse/1\""))
    }

    @Test("a symbolic link to the database is refused even with --force")
    func symbolicLinkToTheDatabase() throws {
        let w = try sampleWorkspace()
        let link = w.url.appendingPathComponent("backup.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: w.db)
        let before = try bytes(w.db)
        let r = w.run(["export", "--output", link, "--force"])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("it is the database"), "\(r.err)")
        #expect(try bytes(w.db) == before)
    }

    @Test("a missing folder: exit 74 naming the folder, before any work")
    func missingFolder() throws {
        let w = try sampleWorkspace()
        let path = w.url.appendingPathComponent("no/such/folder/out.json").path
        let r = w.run(["export", "--output", path])
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains("cannot write \(path): the folder \(w.url.path)/no/such/folder does not exist"), "\(r.err)")
    }

    @Test("a full device (ENOSPC, error 28): a plain message naming the file, exit 74")
    func fullDevice() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else {
            Issue.record("/dev/full is needed to produce a real ENOSPC")
            return
        }
        let w = try sampleWorkspace()
        let r = w.run(["export", "--output", "/dev/full"])
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains("lapse: error: no space left on device while writing /dev/full"), "\(r.err)")
        #expect(!r.err.contains("NSPOSIXErrorDomain"))
    }

    @Test("the writer reports errno 28 from a real write, and a failed write leaves the old file whole")
    func writeAllReportsENOSPC() throws {
        let fd = open("/dev/full", O_WRONLY)
        try #require(fd >= 0, "/dev/full is needed to produce a real ENOSPC")
        defer { close(fd) }
        let sink = OutputSink(descriptor: fd)
        var code: Int32?
        do {
            try sink.write(String(repeating: "x", count: 1 << 17))
            try sink.flush()
        } catch let error as OutputSink.Failure {
            code = error.code
        }
        #expect(code == ENOSPC)

        // The same failure inside an OutputFile: the message, and the old file untouched.
        let w = try Workspace()
        let old = try w.file("report.md", "old report\n")
        let file = try OutputFile(path: old, option: "--output", force: true, database: w.db)
        var message = ""
        do {
            try file.write(console: Console.capture()) { _ in throw OutputSink.Failure(code: ENOSPC) }
        } catch let error as CommandError {
            message = error.description
            #expect(LapseExitCode.of(error) == .ioError)
        }
        #expect(message == "no space left on device while writing \(old); nothing was replaced")
        #expect(try String(contentsOfFile: old, encoding: .utf8) == "old report\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: w.url.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test("a folder without write permission: exit 74 and a plain message")
    func readOnlyFolder() throws {
        let w = try sampleWorkspace()
        let folder = w.url.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(chmod(folder.path, 0o555) == 0)
        defer { chmod(folder.path, 0o755) }
        guard access(folder.path, W_OK) != 0 else {
            // Root ignores permission bits; the message for EACCES is checked directly instead.
            let file = try OutputFile(path: folder.path + "/out.json", option: "--output", force: false, database: w.db)
            #expect(file.failure(EACCES, stage: .open).description
                == "cannot write \(folder.path)/out.json: the folder \(folder.path) is not writable (permission denied)")
            #expect(file.failure(EROFS, stage: .open).description
                == "cannot write \(folder.path)/out.json: the folder \(folder.path) is on a read-only file system")
            return
        }
        let r = w.run(["export", "--output", folder.path + "/out.json"])
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains("cannot write \(folder.path)/out.json: the folder \(folder.path) is not writable (permission denied)"), "\(r.err)")
    }

    @Test("/dev/null is written directly; /dev/stdout behind a file redirection is refused, even with --force")
    func systemPaths() throws {
        let w = try sampleWorkspace()
        let null = w.run(["export", "--output", "/dev/null"])
        #expect(null.code == 0, "\(null.err)")
        #expect(FileManager.default.fileExists(atPath: "/dev/null"))
        // /dev/stdin with standard input redirected from a file: the link leads to that file.
        let stdinFile = try w.file("input.txt", "keep\n")
        try #require(FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdin").hasPrefix("/proc/"))
        let handle = try #require(FileHandle(forReadingAtPath: stdinFile))
        defer { try? handle.close() }
        let saved = dup(STDIN_FILENO)
        dup2(handle.fileDescriptor, STDIN_FILENO)
        defer { dup2(saved, STDIN_FILENO); close(saved) }
        let r = w.run(["export", "--output", "/dev/stdin", "--force"])
        #expect(r.code == 64, "\(r.err)")
        #expect(r.err.contains("it is a link to an open file"), "\(r.err)")
        #expect(try String(contentsOfFile: stdinFile, encoding: .utf8) == "keep\n")
    }

    @Test("--force without --output is a usage error")
    func forceNeedsOutput() throws {
        let w = try Workspace()
        #expect(w.run(["export", "--force"]).code == 64)
        #expect(w.run(["report", "all", "--force"]).code == 64)
    }
}
