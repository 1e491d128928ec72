import ArgumentParser
import Foundation
import LapseApp
import LapseCore

/// What every import subcommand shares: dry runs, how invalid records are handled, and who
/// makes the change.
struct ImportOptions: ParsableArguments {
    @OptionGroup var authorship: AuthorOptions

    @Flag(help: "Check the input and print what would be created, without writing anything.")
    var dryRun = false

    @Flag(help: "Import the valid records and report the rejected ones (to --rejects, else standard error).")
    var skipInvalid = false

    @Option(help: ArgumentHelp("With --skip-invalid, write the report of rejected records to this file (never the database or an input; an existing file needs --force).", valueName: "file"))
    var rejects: String?

    @Flag(help: "With --rejects: replace an existing file, or a symbolic link (the link itself, never its target).")
    var force = false

    /// The --rejects file, checked against the database and the files the import reads.
    func rejectsFile(store: StoreOptions, console: Console, inputs: [String]) throws -> OutputFile? {
        try rejects.map {
            try OutputFile(path: $0, option: "--rejects", force: force, database: store.path(environment: console.environment), inputs: inputs)
        }
    }

    func validate() throws {
        if rejects != nil && !skipInvalid { throw ValidationError("--rejects needs --skip-invalid") }
        if force && rejects == nil { throw ValidationError("--force goes with --rejects") }
    }

    /// Runs an importer through the application layer's one import runner, then reports: the
    /// plan on standard output for a dry run, rejects (to --rejects, else standard error, before
    /// the import commits), and a summary line on standard error. `inputs` are the files read,
    /// which `--rejects` must not name. `command` is the command as the change log names it
    /// (the words after `lapse`).
    func perform(into importing: any IncidentImporting, console: Console, store: StoreOptions, command: [String], source: String, inputs: [String], total: Int,
                 _ body: (ImportRunner, ProgressMeter) throws -> Void) throws {
        try perform(console: console, store: store, command: command, source: source, inputs: inputs, total: total) { settings, context, reportRejects, progress in
            try RecordImport(store: importing).run(settings, as: context, reportRejects: reportRejects) { runner in
                defer { progress.finish() }
                try body(runner, progress)
            }
        }
    }

    /// `perform` for an import that starts the runner itself (`DocumentImport`): `run` gets the
    /// settings of these options, the change's context, where the rejects report goes, and the
    /// progress bar, and returns what the runner did.
    func perform(console: Console, store: StoreOptions, command: [String], source: String, inputs: [String], total: Int,
                 _ run: (ImportSettings, ChangeContext, @escaping ([DataProblem]) throws -> Void, ProgressMeter) throws -> ImportOutcome) throws {
        let rejectsFile = try rejectsFile(store: store, console: console, inputs: inputs)
        let progress = ProgressMeter(console: console, total: total)
        defer { progress.finish() }
        let settings = ImportSettings(dryRun: dryRun, skipInvalid: skipInvalid, rejectsPath: rejects)
        let outcome = try run(settings, authorship.context(commandText(command)), { rejected in
            if let rejectsFile {
                try rejectsFile.write(rejected.map(\.description).joined(separator: "\n") + "\n", console: console)
            } else {
                for line in rejected { console.note("lapse: rejected: \(line)") }
            }
        }, progress)
        progress.finish()
        if dryRun && !outcome.plan.isEmpty { console.write(outcome.plan.joined(separator: "\n") + "\n") }
        console.note(outcome.summary(source: source, storePath: store.displayName(environment: console.environment)))
    }
}
