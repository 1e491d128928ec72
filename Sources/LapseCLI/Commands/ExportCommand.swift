import ArgumentParser
import Foundation
import LapseCore
import LapseApp

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export incidents as lapse/1, or their events as CSV, Timesketch or iCalendar.",
        discussion: """
            --format lapse (the default) writes a lapse/1 JSON document (JSON Lines with --jsonl); \
            csv one row per event with incident and organization columns; timesketch a CSV (JSON \
            Lines with --jsonl) for Timesketch's importer; ics an iCalendar file of the events.

            The order is stable (parties and incidents by id, events as recorded), so exporting, \
            importing into an empty database and exporting again gives the same bytes. With a \
            selection, the document carries the parties the incidents name (and their parents and \
            affiliations), so it imports on its own.

            Examples:
              lapse export > everything.json
              lapse export --company sony --output sony.json
              lapse export --incident psn-2011 --incident soe-2011
              lapse export --format timesketch --jsonl --company sony > sony.jsonl
              lapse export --format ics --company sony --output sony.ics
              lapse export --history --output moving.json
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("incident"), help: ArgumentHelp("Export this incident (repeatable).", valueName: "id"))
    var incidents: [String] = []

    @OptionGroup var query: IncidentQueryOptions
    var company: String? { query.company }

    @Option(help: "What to write: lapse, csv, timesketch or ics.")
    var format: ExportFormat = .lapse

    @Flag(help: "JSON Lines instead: lapse/1 records one per line, or Timesketch events one per line.")
    var jsonl = false

    @Flag(help: "With --format lapse: include the change log (`lapse history`) as the document's history; importing the document restores it.")
    var history = false

    @Flag(help: "With --format ics: add the due date of every notification rule that applies (see `lapse deadlines`).")
    var deadlines = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output (never the database; an existing file needs --force).", valueName: "file"))
    var output: String?

    @Flag(help: "With --output: replace an existing file, or a symbolic link (the link itself, never its target).")
    var force = false

    func checkOutputs(console: Console) throws { _ = try outputFile(console: console) }

    func outputFile(console: Console) throws -> OutputFile? {
        try output.map { try OutputFile(path: $0, option: "--output", force: force, database: store.path(environment: console.environment)) }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let file = try outputFile(console: console)
        let export = try export(from: store)
        try export.checkSelection()
        var written = 0
        let produce = { (out: OutputSink) in written = try export.write(to: out) }
        if let file {
            try file.write(console: console, produce)
        } else {
            try OutputSink.toStandardOutput(of: console, produce)
        }
        if written == 0, !query.isEmpty {
            // Not an error (a filter that matches nothing), but never silent.
            console.note((company.map { "No incidents match --company \"\($0)\"" } ?? "No incidents match") + "; the export holds no incidents.")
        }
    }

    /// The export use case these options ask for.
    func export(from store: any IncidentReading & IncidentExporting) throws -> IncidentExport {
        IncidentExport(store: store, format: format, jsonLines: jsonl, deadlines: deadlines, incidentIDs: incidents,
                       selection: incidents.isEmpty && query.isEmpty ? nil : try query.filter(ids: incidents), history: history)
    }

    func validate() throws {
        if history && (format != .lapse || jsonl) { throw ValidationError("--history goes with --format lapse (without --jsonl)") }
        if history && (!incidents.isEmpty || !query.isEmpty) { throw ValidationError("--history exports the whole database: leave out --incident and the filters") }
        if jsonl && ![.lapse, .timesketch].contains(format) { throw ValidationError("--jsonl goes with --format lapse or timesketch") }
        if deadlines && format != .ics { throw ValidationError("--deadlines goes with --format ics") }
        if force && output == nil { throw ValidationError("--force goes with --output") }
    }
}
