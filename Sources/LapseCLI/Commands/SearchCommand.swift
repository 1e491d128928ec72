import ArgumentParser
import Foundation
import LapseApp
import LapseCore
import LapseReports

struct SearchCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search across incidents, events, quotes and parties.",
        discussion: """
            Every word must match (as a word or the start of one), ignoring case and accents. \
            "a quoted phrase" matches its words next to each other; OR between two terms matches \
            either; -word leaves out hits containing it. A word that punctuation splits (AT&T, 8-K) \
            is matched as those words together, whole. Hits are ranked by relevance (SQLite FTS5, \
            bm25); the matching words are shown in [brackets] (--format json marks them in \
            parts). Give a query that starts with -word as one quoted argument or after --.

            Examples:
              lapse search sincerest apologies
              lapse search '"full story"'
              lapse search "breach OR intrusion -test"
              lapse search 'AT&T' 8-K
              lapse search apolog --company sony --since 2011-05 --until 2011-05
              lapse search data --type statement --company sony
              lapse search anonymous --format json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("What to look for: words, \"quoted phrases\", OR, -word.", valueName: "text"))
    var words: [String]

    @Option(help: ArgumentHelp("Only events of this type (repeatable).", valueName: "type"))
    var type: [EventType] = []

    @Option(help: ArgumentHelp("Only events and incidents of this company (as the query model matches names), subsidiaries included.", valueName: "name"))
    var company: String?

    @Option(help: ArgumentHelp("Only events on or after this date.", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only events on or before this date (--until 2017 includes all of 2017).", valueName: "date"))
    var until: String?

    @Option(help: "At most this many hits.")
    var limit = 20

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        do {
            _ = try SearchQuery.parse(words.joined(separator: " "))
        } catch {
            throw ValidationError("search: \(error.message)")
        }
        if let since { _ = try parseTime(since, option: "--since") }
        if let until { _ = try parseTime(until, option: "--until") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let text = words.joined(separator: " ")
        let filter = SearchFilter(eventTypes: type, company: company,
                                  since: try since.map { try parseTime($0, option: "--since").firstInstant(in: Zones.utc) },
                                  before: try until.map { try parseTime($0, option: "--until").endInstant(in: Zones.utc) })
        let hits = try SearchQuery(store: store).hits(for: text, filter: filter, limit: limit)
        let table = DataTable(
            columns: ["kind", "incident", "what", "at", "match"],
            rows: hits.map { hit in
                // On the table, an event's type by its name ("Customer notification"); data formats keep the id.
                let what = output.format == .table && hit.kind == .event ? EventType.label(hit.label) : hit.label
                return [hit.kind.rawValue, hit.incident ?? "", what, hit.at ?? "", hit.bracketed]
            })
        try console.emit(table, json: hits, format: output.format, style: output.style(console))
        if hits.isEmpty && output.format == .table { console.note("No matches for \"\(text)\".") }
    }
}
