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
    var isDryRun: Bool { options.dryRun }
    static let configuration = CommandConfiguration(
        commandName: "lapse",
        abstract: "Import lapse/1 files (JSON, JSON Lines, YAML) in one transaction.",
        discussion: """
            Every file is read and checked; if anything is wrong, nothing is written and the error \
            names the file, the record (line or JSON path) and the field (with --skip-invalid, the \
            valid records are imported and the others reported). An incident whose id is already \
            stored is replaced whole; a party whose id is stored is merged (given fields replace \
            stored ones, aliases are united). A folder imports its .json, .jsonl, .yaml and .yml \
            files in name order.

            Examples:
              lapse import sample-data
              lapse import sample-data --show psn-2011
              lapse import breaches.jsonl --dry-run
              lapse import breaches.jsonl --skip-invalid --rejects rejects.txt
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ImportOptions

    @Argument(help: ArgumentHelp("lapse/1 files or folders of them.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("After importing, show this incident's timeline.", valueName: "incident"))
    var show: String?

    @Option(name: .long, help: "Colour the --show timeline: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if show != nil && options.dryRun {
            throw ValidationError("--show shows an incident once it is imported, and --dry-run imports nothing: drop one of them (the dry run lists the incidents it would create or replace)")
        }
    }

    func checkOutputs(console: Console) throws {
        guard options.rejects != nil else { return }
        _ = try options.rejectsFile(store: store, console: console, inputs: files + DocumentImport.files(expanding: files).map(\.path))
    }

    func run(store database: any IncidentStore, console: Console) throws {
        let files = try DocumentImport.files(expanding: self.files)
        try options.perform(console: console, store: store, command: ["import"] + self.files, source: plural(files.count, "file"),
                            inputs: self.files + files.map(\.path), total: files.map(\.bytes).reduce(0, +)) { settings, context, reportRejects, progress in
            try DocumentImport(store: database).run(files, settings: settings, mustHold: show, as: context,
                                                    reportRejects: reportRejects) { progress.update($0, status: $1) }
        }
        if let show {
            let timeline = try TimelineQuery(store: database).timeline(of: show)
            console.write(TimelineView(style: Style(choice: color, console: console)).render(timeline))
        }
    }
}
