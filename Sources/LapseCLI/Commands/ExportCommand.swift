import ArgumentParser
import Foundation
import LapseCore
import LapseReports
import LapseStore

/// What `lapse export` writes.
enum ExportFormat: String, CaseIterable, ExpressibleByArgument {
    case lapse, csv, timesketch, ics
}

struct ExportCommand: StoreCommand {
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

    func run(database: LapseDatabase, console: Console) throws {
        let file = try outputFile(console: console)
        let filter = incidents.isEmpty && query.isEmpty ? nil : try query.filter(ids: incidents)
        if !incidents.isEmpty {
            let found = Set(try database.incidentSummaries(matching: IncidentFilter(ids: incidents)).map(\.id))
            if let missing = incidents.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
        }
        var written = 0
        let produce = { (out: OutputSink) in
            written = try database.withExportReader(matching: filter) { try write($0, to: out) }
        }
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

    /// Streams the export a batch of incidents at a time; returns the number of incidents written.
    func write(_ reader: ExportReader, to out: OutputSink, now: Date = Date()) throws -> Int {
        switch format {
        case .lapse where jsonl: try LapseDocumentExport.writeLines(reader, to: out)
        case .lapse: try LapseDocumentExport.write(reader, to: out)
        case .csv: try EventCSVExport.write(reader, to: out)
        case .timesketch where jsonl: try TimesketchExport.writeLines(reader, to: out)
        case .timesketch: try TimesketchExport.write(reader, to: out)
        case .ics: try ICalendarExport.write(reader, deadlines: deadlines, now: now, to: out)
        }
    }

    func validate() throws {
        if jsonl && ![.lapse, .timesketch].contains(format) { throw ValidationError("--jsonl goes with --format lapse or timesketch") }
        if deadlines && format != .ics { throw ValidationError("--deadlines goes with --format ics") }
        if force && output == nil { throw ValidationError("--force goes with --output") }
    }
}
