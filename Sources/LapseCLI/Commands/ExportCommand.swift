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

    @Option(help: "Export this company's incidents (and its subsidiaries').")
    var company: String?

    @Option(help: "What to write: lapse, csv, timesketch or ics.")
    var format: ExportFormat = .lapse

    @Flag(help: "JSON Lines instead: lapse/1 records one per line, or Timesketch events one per line.")
    var jsonl = false

    @Flag(help: "With --format ics: add the due date of every notification rule that applies (see `lapse deadlines`).")
    var deadlines = false

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run(database: LapseDatabase, console: Console) throws {
        let filter = incidents.isEmpty && company == nil ? nil : IncidentFilter(ids: incidents, company: company)
        if !incidents.isEmpty {
            let found = Set(try database.incidentSummaries(matching: IncidentFilter(ids: incidents)).map(\.id))
            if let missing = incidents.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
        }
        let document = try database.document(matching: filter)
        if document.incidents.isEmpty, let company {
            // Not an error (a filter that matches nothing), but never silent.
            console.note("No incidents match --company \"\(company)\"; the export holds no incidents.")
        }
        let text: String
        switch format {
        case .lapse where jsonl: text = try Self.jsonLines(document)
        case .lapse: text = try jsonString(document)
        case .csv: text = CSVRenderer().render(EventCSVExport.table(ExportedEvent.all(in: document)))
        case .timesketch where jsonl: text = try TimesketchExport.jsonLines(ExportedEvent.all(in: document))
        case .timesketch: text = CSVRenderer().render(TimesketchExport.table(ExportedEvent.all(in: document)))
        case .ics: text = ICalendarExport.render(ExportedEvent.all(in: document), deadlines: deadlines ? try Self.deadlines(document) : [])
        }
        if let output {
            try writeFile(text, to: output)
        } else {
            console.writeDocument(text)
        }
    }

    func validate() throws {
        if jsonl && ![.lapse, .timesketch].contains(format) { throw ValidationError("--jsonl goes with --format lapse or timesketch") }
        if deadlines && format != .ics { throw ValidationError("--deadlines goes with --format ics") }
    }

    /// The applicable rules' verdicts with a due date, for every incident of the document.
    static func deadlines(_ document: LapseDocument) throws -> [(incident: Incident, result: DeadlineResult)] {
        let parties = Dictionary(document.parties.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Int(Date().timeIntervalSince1970)
        return document.incidents.flatMap { incident in
            DeadlineEvaluator.evaluate(incident: incident, organization: parties[incident.organization], now: now)
                .filter { $0.status != .notApplicable && $0.due != nil }
                .map { (incident, $0) }
        }
    }

    /// A lapse/1 JSON Lines document: parties first, then incidents, one record per line.
    static func jsonLines(_ document: LapseDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = ""
        for record in document.parties.map(LapseRecord.party) + document.incidents.map(LapseRecord.incident) {
            out += Escape.json(String(decoding: try encoder.encode(record), as: UTF8.self)) + "\n"
        }
        return out
    }
}
