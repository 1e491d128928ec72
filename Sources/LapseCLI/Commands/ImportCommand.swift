import ArgumentParser
import Foundation
import LapseCore
import LapseReports
import LapseStore

/// `lapse import`: lapse/1 files by default, or another source through a subcommand.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import lapse/1 files, tables (CSV/TSV), VERIS/VCDB or Have I Been Pwned data.",
        discussion: """
            `lapse import FILE...` imports lapse/1 files (the `lapse` subcommand is the default). \
            Every import is one transaction: any error means nothing is written.

            Examples:
              lapse import sample-data --show psn-2011
              lapse import table breaches.csv --id-column Id --organization-column Name \\
                  --event detection=DateAware --event regulator_notification=DateSubmitted \\
                  --date-format "MM/dd/yyyy hh:mm:ss a"
              lapse import veris vcdb/data/json/validated
              lapse import hibp breaches.json
            """,
        subcommands: [ImportLapseCommand.self, ImportTableCommand.self, ImportVerisCommand.self, ImportHIBPCommand.self],
        defaultSubcommand: ImportLapseCommand.self
    )
}

struct ImportLapseCommand: StoreCommand {
    static let access = LapseDatabase.Access.write
    static let configuration = CommandConfiguration(
        commandName: "lapse",
        abstract: "Import lapse/1 files (JSON, JSON Lines, YAML) in one transaction.",
        discussion: """
            Every file is read and checked; if anything is wrong, nothing is written and the error \
            names the file, the record (line or JSON path) and the field. An incident whose id is \
            already stored is replaced whole; a party whose id is stored is merged (given fields \
            replace stored ones, aliases are united). A folder imports its .json, .jsonl, .yaml \
            and .yml files in name order.

            Examples:
              lapse import sample-data
              lapse import sample-data --show psn-2011
              lapse import breaches.jsonl --dry-run
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("lapse/1 files or folders of them.", valueName: "file"))
    var files: [String]

    @Flag(help: "Check the files and report what would be imported, without writing anything.")
    var dryRun = false

    @Option(help: ArgumentHelp("After importing, show this incident's timeline.", valueName: "incident"))
    var show: String?

    @Option(name: .long, help: "Colour the --show timeline: auto, always or never.")
    var color: ColorChoice = .auto

    func run(database: LapseDatabase, console: Console) throws {
        let paths = try DocumentReader.files(expanding: files)
        let sizes = paths.map(DocumentReader.fileSize)
        let progress = ProgressMeter(console: console, total: sizes.reduce(0, +))
        defer { progress.finish() }
        let session: ImportSession
        do {
            session = try importAll(paths, sizes: sizes, into: database, progress: progress)
        } catch let error as DataProblems {
            throw DataProblems(problems: DocumentReader.withLines(error.problems))
        } catch let error as DataProblem {
            throw DocumentReader.withLines([error])[0]
        }
        progress.finish()
        let counts = [plural(paths.count, "file"), plural(session.incidentsWritten, "incident"),
                      plural(session.eventsWritten, "event"), plural(session.partiesWritten, "party", "parties")]
        console.note(dryRun
            ? "Checked \(counts[0]): \(counts[1...].joined(separator: ", ")) would be imported; nothing was written (dry run)."
            : "Imported \(counts[0]): \(counts[1...].joined(separator: ", ")) into \(store.path(environment: console.environment)).")
        if let show {
            guard let incident = try database.incident(id: show) else { throw StoreLookupError.noIncident(show) }
            console.write(TimelineView(style: Style(choice: color, console: console)).render(incident, parties: try database.parties()))
        }
    }

    /// Every file in one transaction; the session tells what was written.
    private func importAll(_ paths: [String], sizes: [Int], into database: LapseDatabase, progress: ProgressMeter) throws -> ImportSession {
        let total = sizes.reduce(0, +)
        let (_, session) = try database.importing(dryRun: dryRun) { session in
            let problems = ProblemCollector()
            var before = 0
            for (path, size) in zip(paths, sizes) {
                let done = before
                try DocumentReader.read(path, into: session, problems: problems) { progress.update(done + $0) }
                before += size
            }
            // What remains (references, the search index, the commit) takes a few seconds on a
            // large import: say so rather than sit at 100%.
            progress.update(total, status: "checking references, indexing for search")
            if !problems.isEmpty {
                // Report missing parties and loops too, with the records' own problems.
                try problems.collect { try session.finish() }
                throw DataProblems(problems: problems.problems)
            }
            // Checked before the commit: a wrong --show id must not leave a half-done command behind.
            if let show, try !session.hasIncident(id: show) { throw StoreLookupError.noIncident(show) }
        }
        return session
    }
}

/// "1 file", "3 files".
func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
    "\(groupedNumber(n)) \(n == 1 ? one : many ?? one + "s")"
}
