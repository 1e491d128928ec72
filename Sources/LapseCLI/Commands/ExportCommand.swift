import ArgumentParser
import Foundation
import LapseCore
import LapseStore

struct ExportCommand: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export incidents and their parties as a lapse/1 JSON document.",
        discussion: """
            The order is stable (parties and incidents by id, events as recorded), so exporting, \
            importing into an empty database and exporting again gives the same bytes. With a \
            selection, the document carries the parties the incidents name (and their parents and \
            affiliations), so it imports on its own.

            Examples:
              lapse export > everything.json
              lapse export --company sony --output sony.json
              lapse export --incident psn-2011 --incident soe-2011
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("incident"), help: ArgumentHelp("Export this incident (repeatable).", valueName: "id"))
    var incidents: [String] = []

    @Option(help: "Export this company's incidents (and its subsidiaries').")
    var company: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run(database: LapseDatabase, console: Console) throws {
        let filter = incidents.isEmpty && company == nil ? nil : IncidentFilter(ids: incidents, company: company)
        if !incidents.isEmpty {
            let found = Set(try database.incidentSummaries(matching: IncidentFilter(ids: incidents)).map(\.id))
            if let missing = incidents.first(where: { !found.contains($0) }) { throw StoreLookupError.noIncident(missing) }
        }
        let text = try jsonString(try database.document(matching: filter))
        if let output {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CommandError.cannotWrite(path: output, reason: (error as NSError).localizedDescription)
            }
        } else {
            console.write(text)
        }
    }
}
