import Foundation
import LapseReports

/// `table` (the default): aligned columns for reading on a terminal.
struct TableFormat: DataFormat {
    static let name = "table"
    static let summary = "aligned columns for reading"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        console.write(TextTableRenderer(style: style, maxWidth: style.width).render(table))
    }

    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws {
        try TextTableRenderer(style: style, maxWidth: style.width).render(listing) { console.write($0) }
    }
}

/// Aligned columns for reading on a terminal. Given a width (the terminal's), a table wider
/// than that has its widest text columns (columns of words, never numbers, ids or dates) cut
/// to fit, each cut cell ending with an ellipsis.
struct TextTableRenderer: TableRenderer {
    var style = Style(enabled: false)
    var maxWidth: Int? = nil
    /// How many bytes of a listing's cells are kept in memory before the rest go to a temporary file.
    var spoolMemory = 4 << 20

    func render(_ table: DataTable) -> String {
        var layout = ColumnLayout(columns: table.columns)
        let cells = table.rows.map { layout.add($0) }
        guard !cells.isEmpty else { return "" }
        let printer = LinePrinter(style: style, widths: fitted(layout, numeric: table.numeric, flexible: table.flexible), numeric: table.numeric)
        var out = printer.header(table.columns)
        for row in cells { out += printer.line(row) }
        return out
    }

    /// Lays out a listing's rows as they come: the widths need every row, so each row's cells
    /// are measured and set aside in a `CellSpool` (memory, then a temporary file past a few
    /// MiB), then read back and printed, in chunks, to `sink`. The same text `render` gives.
    func render<Row>(_ listing: RowListing<Row>, to sink: @escaping (String) -> Void) throws {
        let spool = CellSpool(memoryLimit: spoolMemory)
        var layout = ColumnLayout(columns: listing.columns)
        try listing.produce { row in try spool.append(layout.add(listing.cells(row))) }
        try render(layout, spool: spool, numeric: listing.numeric, flexible: listing.flexible, to: sink)
    }

    private func render(_ layout: ColumnLayout, spool: CellSpool, numeric: Set<Int>, flexible: [Int]?, to sink: @escaping (String) -> Void) throws {
        guard layout.rows > 0 else { return }
        let widths = fitted(layout, numeric: numeric, flexible: flexible)
        var out = ChunkedOutput(sink)
        let printer = LinePrinter(style: style, widths: widths, numeric: numeric)
        out.append(printer.header(layout.columns))
        try spool.forEachRow { out.append(printer.line($0)) }
        out.finish()
    }

    /// The widths the rows need, cut to `maxWidth` when given.
    private func fitted(_ layout: ColumnLayout, numeric: Set<Int>, flexible: [Int]?) -> [Int] {
        guard let maxWidth else { return layout.widths }
        return Self.fit(layout.widths, into: maxWidth, columns: layout.columns, numeric: numeric, flexible: flexible, spaced: layout.spaced)
    }

    /// Column widths that fit `maxWidth` (two spaces between columns), cutting the table's
    /// flexible columns in their order, each down to its header or 12 characters before the
    /// next: by default only the widest column of words (not numeric, a space in some cell),
    /// so numbers, ids and dates are never cut. A table that still does not fit is printed
    /// wider than the terminal.
    static func fit(_ widths: [Int], into maxWidth: Int, table: DataTable) -> [Int] {
        var layout = ColumnLayout(columns: table.columns)
        for row in table.rows { _ = layout.add(row) }
        return fit(widths, into: maxWidth, columns: table.columns, numeric: table.numeric, flexible: table.flexible, spaced: layout.spaced)
    }

    /// `fit`, given which columns have a space in some cell (`spaced`).
    static func fit(_ widths: [Int], into maxWidth: Int, columns: [String], numeric: Set<Int>, flexible: [Int]?, spaced: [Bool]) -> [Int] {
        var widths = widths
        let words = widths.indices.filter { i in !numeric.contains(i) && spaced[i] }
        let flexible = flexible ?? words.max { (widths[$0], $1) < (widths[$1], $0) }.map { [$0] } ?? []
        var excess = widths.reduce(0, +) + 2 * (widths.count - 1) - maxWidth
        for i in flexible where excess > 0 && i < widths.count {
            let cut = min(excess, max(0, widths[i] - max(columns[i].count, 12)))
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
    static func cell(_ text: String) -> (text: String, width: Int) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return (text, text.utf8.count) }
        let safe = Escape.terminal(text.split(whereSeparator: \.isNewline).joined(separator: " "))
        return (safe, safe.count)
    }
}

/// What laying out a table learns from its rows, one at a time: each column's width (its
/// widest cell or header) and whether some cell of it has a space (a column of words, which
/// `fit` may cut).
struct ColumnLayout {
    let columns: [String]
    private(set) var widths: [Int]
    private(set) var spaced: [Bool]
    private(set) var rows = 0

    init(columns: [String]) {
        self.columns = columns
        widths = columns.map(\.count)
        spaced = columns.map { _ in false }
    }

    /// Measures a row; returns its cells as the table prints them.
    mutating func add(_ row: [String]) -> [(text: String, width: Int)] {
        rows += 1
        let cells = row.map(TextTableRenderer.cell)
        for (i, cell) in cells.enumerated() where i < widths.count {
            widths[i] = max(widths[i], cell.width)
            if !spaced[i] && row[i].utf8.contains(0x20) { spaced[i] = true }
        }
        return cells
    }
}

/// The lines of a table once its widths are known.
private struct LinePrinter {
    let style: Style
    let widths: [Int]
    let numeric: Set<Int>
    let blank: String

    init(style: Style, widths: [Int], numeric: Set<Int>) {
        self.style = style
        self.widths = widths
        self.numeric = numeric
        blank = String(repeating: " ", count: widths.max() ?? 0)
    }

    func header(_ columns: [String]) -> String {
        var out = ""
        for (i, text) in columns.enumerated() {
            let isLast = i == columns.count - 1
            if i > 0 { out += "  " }
            let spaces = blank.prefix(max(0, widths[i] - text.count))
            out += style.bold(numeric.contains(i) ? spaces + text : text + (isLast ? "" : spaces))
        }
        return out + "\n"
    }

    /// A row, its cells cut to the widths.
    func line(_ row: [(text: String, width: Int)]) -> String {
        var out = ""
        for (i, whole) in row.enumerated() {
            let cell = i < widths.count ? TextTableRenderer.cut(whole, to: widths[i]) : whole
            let isLast = i == row.count - 1
            if i > 0 { out += "  " }
            let padding = max(0, widths[i] - cell.width)
            if numeric.contains(i) {
                if padding > 0 { out += String(blank.prefix(padding)) }
                out += cell.text
            } else {
                out += cell.text
                if !isLast && padding > 0 { out += String(blank.prefix(padding)) }
            }
        }
        return out + "\n"
    }
}

extension Style {
    init(enabled: Bool) { self.enabled = enabled }
}
