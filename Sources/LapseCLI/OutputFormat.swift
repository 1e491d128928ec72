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
        let cells = table.rows.map { $0.map(Self.cell) }
        var widths = table.columns.map(\.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.width) }
        }
        var out = ""
        out.reserveCapacity((widths.reduce(0, +) + 2 * widths.count) * (cells.count + 1))
        let blank = String(repeating: " ", count: widths.max() ?? 0)
        func line(_ row: [(text: String, width: Int)], header: Bool) {
            for (i, cell) in row.enumerated() {
                let isLast = i == row.count - 1
                if i > 0 { out += "  " }
                let padding = max(0, widths[i] - cell.width)
                if header {
                    let spaces = blank.prefix(padding)
                    out += style.bold(table.numeric.contains(i) ? spaces + cell.text : cell.text + (isLast ? "" : spaces))
                } else if table.numeric.contains(i) {
                    if padding > 0 { out += String(blank.prefix(padding)) }
                    out += cell.text
                } else {
                    out += cell.text
                    if !isLast && padding > 0 { out += String(blank.prefix(padding)) }
                }
            }
            out += "\n"
        }
        line(table.columns.map { ($0, $0.count) }, header: true)
        for row in cells { line(row, header: false) }
        return out
    }

    /// A cell on one line, made safe for a terminal, and its width in characters. Printable
    /// ASCII (nearly every cell) is taken as it is: one byte, one column.
    private static func cell(_ text: String) -> (text: String, width: Int) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return (text, text.utf8.count) }
        let safe = Escape.terminal(text.split(whereSeparator: \.isNewline).joined(separator: " "))
        return (safe, safe.count)
    }
}

extension Style {
    init(enabled: Bool) { self.enabled = enabled }
}

/// RFC 4180 CSV. Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// gets a leading apostrophe; numeric columns are written as they are. For a terminal, cells
/// show their control characters as escapes; for a file they keep the data as it is.
struct CSVRenderer: TableRenderer {
    var terminal = false

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
            Self.append(row, numeric: numeric, terminal: terminal, to: &out)
            if out.utf8.count >= 1 << 16 {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        line(table.columns, numeric: [])
        for row in table.rows { line(row, numeric: table.numeric) }
        if !out.isEmpty { sink(out) }
    }

    /// One record with its CRLF.
    static func line(_ row: [String], numeric: Set<Int>, terminal: Bool = false) -> String {
        var out = ""
        append(row, numeric: numeric, terminal: terminal, to: &out)
        return out
    }

    private static func append(_ row: [String], numeric: Set<Int>, terminal: Bool, to out: inout String) {
        Escape.appendCSVRecord(row, numeric: numeric, terminal: terminal, to: &out)
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

/// JSON for machines: keys sorted (so output is byte-stable across runs), no escaped slashes.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Escape.json(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
}

extension Console {
    /// Writes data in the chosen format: the table for table/CSV/Markdown, `json` for JSON.
    func emit<T: Encodable>(_ table: DataTable, json: T, format: OutputFormat, style: Style) throws {
        switch format {
        case .table: write(TextTableRenderer(style: style).render(table))
        case .csv: CSVRenderer(terminal: outputIsTerminal).render(table) { write($0) }
        case .markdown: writeDocument(MarkdownRenderer().render(table))
        case .json: writeDocument(try jsonString(json))
        }
    }
}
