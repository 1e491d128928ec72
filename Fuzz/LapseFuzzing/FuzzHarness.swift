import Foundation
@testable import LapseApp
import LapseCore
import LapseReports
import LapseStore
import CLibFuzzer

/// What each fuzz target does with one input. Bad input must end in a located problem, never a
/// trap; input that imports must export and import again to the same bytes. A broken promise is
/// a crash here, which libFuzzer saves.
public enum FuzzHarness {
    // MARK: - Parsers

    /// `EventTime(parsing:)`: what parses prints back as written and parses again to itself.
    public static func eventTime(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let time = try? EventTime(parsing: text) else { return }
        guard time.description == text, let again = EventTime(time.description), again == time else {
            fatalError("EventTime \(text.debugDescription) prints as \(time.description.debugDescription)")
        }
        _ = time.placement(in: utc)
        _ = time.endInstant(in: berlin)
    }

    /// `DatePattern`: the first line is a pattern, the rest cells; whatever a pattern reads is a
    /// valid EventTime that prints and parses back to itself.
    public static func datePattern(_ data: Data) {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, let pattern = try? DatePattern(String(first)) else { return }
        for cell in lines.dropFirst() {
            guard case .success(let time) = pattern.parse(String(cell)) else { continue }
            guard let again = EventTime(time.description), again == time else {
                fatalError("\(pattern.pattern.debugDescription) read \(cell.debugDescription) as \(time.description.debugDescription), which does not parse back")
            }
        }
    }

    // MARK: - Readers

    /// The delimited reader over the bytes, then `import table` with the first columns as id,
    /// organization, records and dates.
    public static func delimited(_ data: Data) {
        let path = write(data, as: "csv")
        if let reader = try? DelimitedReader(path: path, delimiter: UInt8(ascii: ",")) {
            while let record = try? reader.next() { _ = record.fields.count }
        }
        let mapping = TableMapping(idColumn: "id", organizationColumn: "organization", titleColumn: nil, kinds: [.breach],
                                   events: [(.intrusion, "start"), (.disclosure, "notified")], datePattern: nil,
                                   recordsColumn: "records", sectorColumn: nil, idPrefix: "t-", jurisdictions: [], timezone: nil)
        importAndRoundTrip { runner in try TableImporter(mapping: mapping).run(path: path, delimiter: UInt8(ascii: ","), into: runner, progress: nil) }
    }

    /// The lapse/1 reader: a document (JSON when it names its format, YAML otherwise) or JSON Lines.
    public static func document(_ data: Data) {
        let trimmed = data.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let ext = trimmed.first == UInt8(ascii: "{") ? (data.contains(jsonFormatKey) ? "json" : "jsonl") : "yaml"
        let path = write(data, as: ext)
        let imported: Bool
        do {
            try importDocument(path, into: scratch, dryRun: true)
            imported = true
        } catch {
            describe(error)
            imported = false
        }
        if imported { roundTrip { try importDocument(path, into: $0) } }
    }

    /// The VERIS reader, as one JSON object or as JSON Lines.
    public static func veris(_ data: Data) {
        let path = write(data, as: data.contains(0x0A) ? "jsonl" : "json")
        importAndRoundTrip { try VerisImporter().read(path, into: $0) }
    }

    /// The Have I Been Pwned reader.
    public static func hibp(_ data: Data) {
        let path = write(data, as: "json")
        importAndRoundTrip { try HIBPImporter().read(data, file: path, into: $0) }
    }

    // MARK: - Import, export, import

    /// Checks an import without writing; when it is accepted, runs the round trip.
    private static func importAndRoundTrip(_ body: (ImportRunner) throws -> Void) {
        do {
            try perform(dryRun: true, database: scratch, body)
        } catch {
            describe(error)
            return
        }
        roundTrip { try perform(dryRun: false, database: $0, body) }
    }

    /// Imports into an empty database, exports, imports the export into another, exports again:
    /// the two exports must be equal, and the second import must succeed.
    private static func roundTrip(_ load: (LapseDatabase) throws -> Void) {
        do {
            let first = try LapseDatabase.inMemory()
            try load(first)
            let exported = try jsonString(first.document(matching: nil))
            let path = write(Data(exported.utf8), as: "json", name: "export")
            let second = try LapseDatabase.inMemory()
            do {
                try importDocument(path, into: second)
            } catch {
                fatalError("the export of an accepted import does not import: \(error)\n\(exported)")
            }
            let again = try jsonString(second.document(matching: nil))
            guard again == exported else { fatalError("export, import, export changed the document:\n\(exported)\n---\n\(again)") }
        } catch {
            fatalError("an accepted import failed on an empty database: \(error)")
        }
    }

    private static func perform(dryRun: Bool, database: LapseDatabase, _ body: (ImportRunner) throws -> Void) throws {
        _ = try RecordImport(store: database).run(ImportSettings(dryRun: dryRun), reportRejects: { _ in }, body)
    }

    /// As `lapse import` does it: problems collected, then placed on their lines.
    private static func importDocument(_ path: String, into database: LapseDatabase, dryRun: Bool = false) throws {
        _ = try DocumentImport(store: database).run([(path, DocumentReader.fileSize(path))], dryRun: dryRun)
    }

    /// Renders an error as the command would; a problem must say where it is.
    private static func describe(_ error: any Error) {
        let problems = (error as? DataProblems)?.problems ?? (error as? DataProblem).map { [$0] } ?? []
        for problem in problems {
            guard problem.file != nil else { fatalError("a problem without its file: \(problem)") }
            _ = problem.description
        }
        _ = "\(error)"
    }

    // MARK: - Process state

    private static let scratch = try! LapseDatabase.inMemory()
    private static let folder: String = {
        let path = NSTemporaryDirectory() + "lapse-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
    private static let jsonFormatKey = Data("\"format\"".utf8)
    private static let utc = TimeZone(identifier: "UTC")!
    private static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// The input as a file, for the readers that take a path.
    private static func write(_ data: Data, as ext: String, name: String = "input") -> String {
        let path = "\(folder)/\(name).\(ext)"
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
}

/// Starts libFuzzer. SwiftPM's debug build links an executable's `main` to `<module>_main`, so
/// each target defines that symbol and hands over to libFuzzer's driver from there.
public enum FuzzDriver {
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, body)
    }
}
