import Foundation
import LapseCore

/// Imports lapse/1 files (JSON, JSON Lines, YAML) in one transaction, through the one import
/// runner (`RecordImport`) with the same dry run, `--skip-invalid`, rejects report and summary
/// as every other importer: every record is read and checked, and if anything is wrong (and
/// invalid records are not skipped) nothing is written and every problem names its file, line
/// and field.
public struct DocumentImport {
    let store: any IncidentImporting

    public init(store: any IncidentImporting) {
        self.store = store
    }

    /// The files to read (each path, or a folder's lapse/1 files in name order) and their sizes.
    public static func files(expanding paths: [String]) throws -> [(path: String, bytes: Int)] {
        try DocumentReader.files(expanding: paths).map { ($0, DocumentReader.fileSize($0)) }
    }

    /// Imports the files; `mustHold` is an incident id that must be stored once the files are in
    /// (checked before the commit, so a wrong id leaves nothing half done). `reportRejects` takes
    /// the problems of the records left out (with `skipInvalid`), each at its line, before the
    /// commit. `progress` hears the bytes read so far and what is being done if it is not plain
    /// reading. The import is one change in the change log, made by `context`.
    public func run(_ files: [(path: String, bytes: Int)], settings: ImportSettings, mustHold incidentID: String? = nil,
                    as context: ChangeContext = .fromEnvironment(command: "import"),
                    reportRejects: @escaping ([DataProblem]) throws -> Void = { _ in },
                    progress: (_ bytes: Int, _ status: String) -> Void = { _, _ in }) throws -> ImportOutcome {
        do {
            return try RecordImport(store: store).run(settings, as: context, mustHold: incidentID, placing: DocumentReader.withLines,
                                                      reportRejects: reportRejects) { runner in
                var before = 0
                for (path, size) in files {
                    let done = before
                    try DocumentReader.read(path, into: runner) { progress(done + $0, "") }
                    before += size
                }
                // What remains (references, the search index, the commit) takes a few seconds on a
                // large import: say so rather than sit at 100%.
                progress(before, "checking references, indexing for search")
            }
        } catch let error as DataProblems {
            throw DataProblems(problems: DocumentReader.withLines(error.problems))
        } catch let error as DataProblem {
            throw DocumentReader.withLines([error])[0]
        }
    }

    /// Imports the files all or nothing (any invalid record fails the import); returns what was
    /// written, or in a dry run would be.
    public func run(_ files: [(path: String, bytes: Int)], dryRun: Bool, mustHold incidentID: String? = nil,
                    as context: ChangeContext = .fromEnvironment(command: "import"),
                    progress: (_ bytes: Int, _ status: String) -> Void = { _, _ in }) throws -> ImportTally {
        try run(files, settings: ImportSettings(dryRun: dryRun), mustHold: incidentID, as: context, progress: progress).tally
    }
}
