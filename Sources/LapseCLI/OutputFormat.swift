import Foundation
import LapseReports

/// The shapes data output can take (`--format`).
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, markdown
}

/// Rows of text with a header: what every data command produces for table, CSV and Markdown.
struct DataTable: Sendable {
    var columns: [String]
    var rows: [[String]]
    /// Columns whose cells are numbers (right-aligned, never formula-escaped).
    var numeric: Set<Int> = []
}

/// Renders a table in one output format. Adding a format is adding one renderer.
protocol TableRenderer {
    func render(_ table: DataTable) -> String
}

/// Aligned columns for reading on a terminal.
struct TextTableRenderer: TableRenderer {
    var style = Style(enabled: false)

    func render(_ table: DataTable) -> String {
        guard !table.rows.isEmpty else { return "" }
        let cells = table.rows.map { $0.map { terminalSafe($0.split(whereSeparator: \.isNewline).joined(separator: " ")) } }
        var widths = table.columns.map(\.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ row: [String], header: Bool) -> String {
            var parts: [String] = []
            for (i, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: max(0, widths[i] - cell.count))
                let isLast = i == row.count - 1
                let padded = table.numeric.contains(i) ? padding + cell : cell + (isLast ? "" : padding)
                parts.append(header ? style.bold(padded) : padded)
            }
            return parts.joined(separator: "  ")
        }
        var out = line(table.columns, header: true) + "\n"
        for row in cells { out += line(row, header: false) + "\n" }
        return out
    }
}

extension Style {
    init(enabled: Bool) { self.enabled = enabled }
}

/// RFC 4180 CSV. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// gets a leading apostrophe; numeric columns are written as they are.
struct CSVRenderer: TableRenderer {
    func render(_ table: DataTable) -> String {
        var out = ""
        render(table) { out += $0 }
        return out
    }

    /// Streams the CSV to `sink` in chunks of about 64 KiB, so a large table is never one String.
    func render(_ table: DataTable, to sink: (String) -> Void) {
        var out = ""
        out.reserveCapacity(1 << 16)
        func line(_ row: [String], numeric: Set<Int>) {
            for (i, cell) in row.enumerated() {
                if i > 0 { out += "," }
                out += csvField(cell, numeric: numeric.contains(i))
            }
            out += "\r\n"
            if out.utf8.count >= 1 << 16 {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        line(table.columns, numeric: [])
        for row in table.rows { line(row, numeric: table.numeric) }
        if !out.isEmpty { sink(out) }
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

    func escape(_ text: String) -> String { markdownEscape(terminalSafe(text)) }
}

/// JSON for machines: keys sorted (so output is byte-stable across runs), no escaped slashes.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

extension Console {
    /// Writes data in the chosen format: the table for table/CSV/Markdown, `json` for JSON.
    func emit<T: Encodable>(_ table: DataTable, json: T, format: OutputFormat, style: Style) throws {
        switch format {
        case .table: write(TextTableRenderer(style: style).render(table))
        case .csv: CSVRenderer().render(table) { write($0) }
        case .markdown: write(MarkdownRenderer().render(table))
        case .json: write(try jsonString(json))
        }
    }
}
