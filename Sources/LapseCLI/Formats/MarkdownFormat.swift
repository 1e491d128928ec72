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
}

/// A GitHub-flavoured Markdown table; pipes, backslashes and markup are escaped.
struct MarkdownRenderer: TableRenderer {
    func render(_ table: DataTable) -> String {
        var out = "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + table.columns.indices.map { table.numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in table.rows {
            out += "| " + row.map(escape).joined(separator: " | ") + " |\n"
        }
        return out
    }

    func escape(_ text: String) -> String { Escape.markdown(text) }
}
