import Foundation
import LapseReports

/// `csv`: RFC 4180 with a header row, formula-guarded.
struct CSVFormat: DataFormat {
    static let name = "csv"
    static let extensions = ["csv"]
    static let summary = "RFC 4180 with a header row"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        CSVRenderer(terminal: console.outputIsTerminal).render(table) { console.write($0) }
    }

    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws {
        let terminal = console.outputIsTerminal
        var out = ChunkedOutput(console.write)
        out.append(CSVRenderer.line(listing.columns, numeric: [], terminal: terminal))
        try listing.produce { out.append(CSVRenderer.line(listing.cells($0), numeric: listing.numeric, terminal: terminal)) }
        out.finish()
    }
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
