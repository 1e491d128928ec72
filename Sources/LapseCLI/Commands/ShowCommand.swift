import ArgumentParser
import Foundation
import LapseCore
import LapseStore

struct ShowCommand: StoreCommand {
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

    func run(database: LapseDatabase, console: Console) throws {
        guard let incident = try database.incident(id: incident) else { throw StoreLookupError.noIncident(self.incident) }
        let parties = try database.parties()
        let style = output.style(console)
        if output.format == .table {
            console.write(TimelineView(style: style).render(incident, parties: parties))
            return
        }
        let timeline = Timeline(incident)
        let names = Dictionary(parties.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let entries = timeline.entries.map { TimelineRow(entry: $0, partyName: $0.event.party.flatMap { names[$0] }) }
        let table = DataTable(
            columns: ["at", "until", "offset_days_min", "offset_days_max", "type", "party", "summary", "quote", "sources"],
            rows: entries.map { [$0.at, $0.until ?? "", String($0.offsetDaysMin), String($0.offsetDaysMax), $0.type,
                                 $0.partyName ?? $0.party ?? "", $0.summary ?? "", $0.quote ?? "", $0.sources.joined(separator: " ")] },
            numeric: [2, 3])
        try console.emit(table, json: ShownIncident(incident: incident, timeline: entries), format: output.format, style: style)
    }
}

/// `show --format json`: the incident as stored, and its events in time order.
struct ShownIncident: Encodable {
    var incident: Incident
    var timeline: [TimelineRow]
}

/// One event of a timeline, flattened for machines.
struct TimelineRow: Encodable {
    var at: String
    var until: String?
    var offsetDaysMin: Int
    var offsetDaysMax: Int
    var type: String
    var party: String?
    var partyName: String?
    var summary: String?
    var quote: String?
    var sources: [String]

    init(entry: Timeline.Entry, partyName: String?) {
        at = entry.event.at.description
        until = entry.event.until?.description
        offsetDaysMin = entry.offset.min
        offsetDaysMax = entry.offset.max
        type = entry.event.type.rawValue
        party = entry.event.party
        self.partyName = partyName
        summary = entry.event.summary
        quote = entry.event.statement?.quote
        sources = entry.event.sources.map(\.url)
    }

    enum CodingKeys: String, CodingKey {
        case at, until, offsetDaysMin = "offset_days_min", offsetDaysMax = "offset_days_max", type, party
        case partyName = "party_name", summary, quote, sources
    }
}
