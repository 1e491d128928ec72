import ArgumentParser
import Foundation
import LapseApp
import LapseCore

struct ShowCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an incident's timeline.",
        discussion: """
            Events are listed in time order with the date as written (as precise as its source), \
            the day offset from the first event, the party, the summary, quotes and sources. \
            Partial dates give offsets as ranges (+3…33 d).

            Examples:
              lapse show psn-2011
              lapse show psn-2011 --format markdown
              lapse show psn-2011 --format json | jq '.timeline[].type'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The incident id.", valueName: "incident"))
    var incident: String

    func run(store: any IncidentStore, console: Console) throws {
        let shown = try TimelineQuery(store: store).timeline(of: incident)
        let style = output.style(console)
        if output.format == .table {
            console.write(TimelineView(style: style).render(shown))
            return
        }
        let table = DataTable(columns: TimelineRow.columns, rows: shown.rows.map(\.cells), numeric: TimelineRow.numericColumns)
        try console.emit(table, json: shown, format: output.format, style: style)
    }
}
