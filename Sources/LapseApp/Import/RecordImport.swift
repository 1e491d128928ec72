import Foundation
import LapseCore
import LapseReports

/// What the options of an import from another source ask (`--dry-run`, `--skip-invalid`,
/// `--rejects`).
public struct ImportSettings: Sendable {
    public var dryRun: Bool
    public var skipInvalid: Bool
    /// The file the report of rejected records goes to, named in the summary (nil: the rejects
    /// are listed on standard error).
    public var rejectsPath: String?

    public init(dryRun: Bool = false, skipInvalid: Bool = false, rejectsPath: String? = nil) {
        self.dryRun = dryRun
        self.skipInvalid = skipInvalid
        self.rejectsPath = rejectsPath
    }
}

/// What an import from another source did (or, in a dry run, would do).
public struct ImportOutcome: Sendable {
    public var tally: ImportTally
    public var newParties: Int
    /// Parties of records that name them by id (lapse/1) that were stored, and were merged.
    public var mergedParties: Int
    public var rejectedRecords: Int
    /// For a dry run: what would be created, one line each.
    public var plan: [String]
    /// With name matching on (table imports): how many rows joined a party of another name.
    public var matchedParties: Int?
    let settings: ImportSettings

    /// The closing line: what was imported from `source` into the store at `storePath`.
    public func summary(source: String, storePath: String) -> String {
        let replaced = tally.incidentsReplaced > 0 ? " (\(groupedNumber(tally.incidentsReplaced)) replacing stored ones)" : ""
        var counts = "\(plural(tally.incidents, "incident"))\(replaced), \(plural(tally.events, "event")), \(plural(newParties, "new party", "new parties"))"
        if let matchedParties {
            counts += " (\(plural(matchedParties, "row")) matched to a party of another name by normalised name; --no-match-parties keeps names apart)"
        }
        if mergedParties > 0 { counts += ", \(plural(mergedParties, "stored party", "stored parties")) merged" }
        var line = settings.dryRun
            ? "Checked \(source): \(counts) would be imported; nothing was written (dry run)."
            : "Imported \(source): \(counts) into \(storePath)."
        if rejectedRecords > 0 {
            line += " Rejected \(plural(rejectedRecords, "record"))" + (settings.rejectsPath.map { " (report in \($0))." } ?? " (listed above).")
        }
        return line
    }
}

/// Imports records through the one runner, whatever their source (a table, VERIS, Have I Been
/// Pwned, lapse/1 documents through `DocumentImport`): one transaction (rolled back for a dry
/// run), invalid records either failing the whole import or, with `skipInvalid`, reported and
/// left out.
public struct RecordImport {
    let store: any IncidentImporting

    public init(store: any IncidentImporting) {
        self.store = store
    }

    /// Runs `body`, an importer feeding the runner. `mustHold` is an incident id that must be
    /// stored once the records are in (checked before the commit, so a wrong id leaves nothing
    /// half done). `reportRejects` takes the rejected records' problems (with `skipInvalid`),
    /// put in place by `placing`, before the import commits, so a report that cannot be written
    /// leaves nothing written. The import is one change in the change log, made by `context`.
    public func run(_ settings: ImportSettings, as context: ChangeContext = .fromEnvironment(command: "import"), mustHold: String? = nil,
                    placing: @escaping ([DataProblem]) -> [DataProblem] = { $0 },
                    reportRejects: @escaping ([DataProblem]) throws -> Void,
                    _ body: (ImportRunner) throws -> Void) throws -> ImportOutcome {
        let (runner, tally) = try store.importing(dryRun: settings.dryRun, as: context) { session in
            let runner = ImportRunner(session: session, settings: settings, placing: placing, reportRejects: reportRejects)
            try body(runner)
            try runner.finish(mustHold: mustHold)
            return runner
        }
        return ImportOutcome(tally: tally, newParties: runner.newParties, mergedParties: runner.mergedParties,
                             rejectedRecords: runner.rejectedRecords, plan: runner.plan,
                             matchedParties: runner.directory.matchNames ? runner.directory.matched : nil, settings: settings)
    }
}

/// "1 file", "3 files".
public func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
    "\(groupedNumber(n)) \(n == 1 ? one : many ?? one + "s")"
}
