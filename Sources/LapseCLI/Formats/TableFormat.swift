import Foundation
import LapseReports

/// `table` (the default): aligned columns for reading on a terminal.
struct TableFormat: DataFormat {
    static let name = "table"
    static let summary = "aligned columns for reading"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        console.write(TextTableRenderer(style: style, maxWidth: style.width).render(table))
    }
}

/// Aligned columns for reading on a terminal. Given a width (the terminal's), a table wider
/// than that has its widest text columns (columns of words, never numbers, ids or dates) cut
/// to fit, each cut cell ending with an ellipsis.
struct TextTableRenderer: TableRenderer {
    var style = Style(enabled: false)
    var maxWidth: Int? = nil

    func render(_ table: DataTable) -> String {
        guard !table.rows.isEmpty else { return "" }
        var cells = table.rows.map { $0.map(Self.cell) }
        var widths = table.columns.map(\.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.width) }
        }
        if let maxWidth {
            let fitted = Self.fit(widths, into: maxWidth, table: table)
            if fitted != widths {
                widths = fitted
                cells = cells.map { row in row.enumerated().map { i, cell in i < widths.count ? Self.cut(cell, to: widths[i]) : cell } }
            }
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

    /// Column widths that fit `maxWidth` (two spaces between columns), cutting the table's
    /// flexible columns in their order, each down to its header or 12 characters before the
    /// next: by default only the widest column of words (not numeric, a space in some cell),
    /// so numbers, ids and dates are never cut. A table that still does not fit is printed
    /// wider than the terminal.
    static func fit(_ widths: [Int], into maxWidth: Int, table: DataTable) -> [Int] {
        var widths = widths
        let words = widths.indices.filter { i in !table.numeric.contains(i) && table.rows.contains { i < $0.count && $0[i].contains(" ") } }
        let flexible = table.flexible ?? words.max { (widths[$0], $1) < (widths[$1], $0) }.map { [$0] } ?? []
        var excess = widths.reduce(0, +) + 2 * (widths.count - 1) - maxWidth
        for i in flexible where excess > 0 && i < widths.count {
            let cut = min(excess, max(0, widths[i] - max(table.columns[i].count, 12)))
            widths[i] -= cut
            excess -= cut
        }
        return widths
    }

    /// A cell cut to a width, ending with an ellipsis when cut.
    static func cut(_ cell: (text: String, width: Int), to width: Int) -> (text: String, width: Int) {
        guard cell.width > width else { return cell }
        let kept = String(cell.text.prefix(width - 1)).replacing(/\s+$/, with: "")
        return (kept + "…", kept.count + 1)
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
