import Foundation
import LapseReports

/// `table` (the default): aligned columns for reading on a terminal.
struct TableFormat: DataFormat {
    static let name = "table"
    static let summary = "aligned columns for reading"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        console.write(TextTableRenderer(style: style).render(table))
    }
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
