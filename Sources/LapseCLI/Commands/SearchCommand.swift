import ArgumentParser
import Foundation
import LapseApp
import LapseCore

struct SearchCommand: AppCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search across incidents, events, quotes and parties.",
        discussion: """
            Every word must match (as a word or the start of one), ignoring case and accents. \
            Hits are ranked by relevance (SQLite FTS5, bm25); the matching words are shown in [brackets].

            Examples:
              lapse search "full story"
              lapse search anonymous --format json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Words to look for.", valueName: "text"))
    var words: [String]

    @Option(help: "At most this many hits.")
    var limit = 20

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run(store: any IncidentStore, console: Console) throws {
        let text = words.joined(separator: " ")
        let hits = try SearchQuery(store: store).hits(for: words, limit: limit)
        let table = DataTable(
            columns: ["kind", "incident", "what", "at", "match"],
            rows: hits.map { [$0.kind.rawValue, $0.incident ?? "", $0.label, $0.at ?? "", $0.snippet] })
        try console.emit(table, json: hits, format: output.format, style: output.style(console))
        if hits.isEmpty && output.format == .table { console.note("No matches for \"\(text)\".") }
    }
}
