import Foundation
import LapseReports

/// `tsv`: tab-separated values with a header row. A tab, line break or backslash inside a cell is
/// written as `\t`, `\n`, `\r` or `\\`, so every line is one record; text a spreadsheet would run as
/// a formula gets a leading `'`, as in CSV.
struct TSVFormat: DataFormat {
    static let name = "tsv"
    static let extensions = ["tsv", "tab"]
    static let summary = "tab-separated values with a header row"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        let terminal = console.outputIsTerminal
        var out = Self.line(table.columns, numeric: [], terminal: terminal)
        for row in table.rows { out += Self.line(row, numeric: table.numeric, terminal: terminal) }
        console.write(out)
    }

    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws {
        let terminal = console.outputIsTerminal
        var out = ChunkedOutput(console.write)
        out.append(Self.line(listing.columns, numeric: [], terminal: terminal))
        try listing.produce { out.append(Self.line(listing.cells($0), numeric: listing.numeric, terminal: terminal)) }
        out.finish()
    }

    static func line(_ row: [String], numeric: Set<Int>, terminal: Bool) -> String {
        row.enumerated().map { i, cell in field(cell, numeric: numeric.contains(i), terminal: terminal) }.joined(separator: "\t") + "\n"
    }

    static func field(_ text: String, numeric: Bool, terminal: Bool) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        if !numeric && Escape.startsFormula(out) { out = "'" + out }
        return terminal ? Escape.terminal(out) : out
    }
}
