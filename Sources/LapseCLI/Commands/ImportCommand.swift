import ArgumentParser
import Foundation
import LapseApp
import LapseCore

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
              lapse import table breaches.csv --id-column Id \\
                  --organization-column Name --event detection=DateAware \\
                  --event regulator_notification=DateSubmitted \\
                  --date-format "MM/dd/yyyy hh:mm:ss a"
              lapse import veris vcdb/data/json/validated
              lapse import hibp breaches.json
            """,
        subcommands: [ImportLapseCommand.self, ImportTableCommand.self, ImportVerisCommand.self, ImportHIBPCommand.self],
        defaultSubcommand: ImportLapseCommand.self
    )
}

struct ImportLapseCommand: AppCommand {
    static let writes = true
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
    @OptionGroup var authorship: AuthorOptions

    @Argument(help: ArgumentHelp("lapse/1 files or folders of them.", valueName: "file"))
    var files: [String]

    @Flag(help: "Check the files and report what would be imported, without writing anything.")
    var dryRun = false

    @Option(help: ArgumentHelp("After importing, show this incident's timeline.", valueName: "incident"))
    var show: String?

    @Option(name: .long, help: "Colour the --show timeline: auto, always or never.")
    var color: ColorChoice = .auto

    func run(store database: any IncidentStore, console: Console) throws {
        let files = try DocumentImport.files(expanding: self.files)
        let progress = ProgressMeter(console: console, total: files.map(\.bytes).reduce(0, +))
        defer { progress.finish() }
        let tally = try DocumentImport(store: database).run(files, dryRun: dryRun, mustHold: show,
                                                        as: authorship.context(commandText(["import"] + self.files))) { progress.update($0, status: $1) }
        progress.finish()
        let counts = [plural(files.count, "file"), plural(tally.incidents, "incident"),
                      plural(tally.events, "event"), plural(tally.parties, "party", "parties")]
        console.note(dryRun
            ? "Checked \(counts[0]): \(counts[1...].joined(separator: ", ")) would be imported; nothing was written (dry run)."
            : "Imported \(counts[0]): \(counts[1...].joined(separator: ", ")) into \(store.displayName(environment: console.environment)).")
        if let show {
            let timeline = try TimelineQuery(store: database).timeline(of: show)
            console.write(TimelineView(style: Style(choice: color, console: console)).render(timeline))
        }
    }
}
