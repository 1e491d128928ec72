import Foundation
import LapseReports

/// `markdown` (or `md`): a GitHub table.
struct MarkdownFormat: DataFormat {
    static let name = "markdown"
    static let aliases = ["md"]
    static let extensions = ["md", "markdown"]
    static let summary = "a GitHub table"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        console.writeDocument(MarkdownRenderer().render(table))
    }

    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws {
        let renderer = MarkdownRenderer()
        var out = ChunkedOutput(console.writeDocument)
        out.append(renderer.header(listing.columns, numeric: listing.numeric))
        try listing.produce { out.append(renderer.line(listing.cells($0))) }
        out.finish()
    }
}

/// A GitHub-flavoured Markdown table; pipes, backslashes and markup are escaped.
struct MarkdownRenderer: TableRenderer {
    func render(_ table: DataTable) -> String {
        var out = header(table.columns, numeric: table.numeric)
        for row in table.rows { out += line(row) }
        return out
    }

    /// The header row and the alignment row.
    func header(_ columns: [String], numeric: Set<Int>) -> String {
        line(columns) + "|" + columns.indices.map { numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
    }

    /// One row.
    func line(_ row: [String]) -> String {
        "| " + row.map(escape).joined(separator: " | ") + " |\n"
    }

    func escape(_ text: String) -> String { Escape.markdown(text) }
}
