import Foundation
import LapseReports

/// `json`: an array of objects, or the command's resource, with snake_case keys.
struct JSONFormat: DataFormat {
    static let name = "json"
    static let extensions = ["json"]
    static let summary = "objects with snake_case keys (Docs/json-contract.md)"

    func write<T: Encodable>(_ table: DataTable, json: T, to console: Console, style: Style) throws {
        console.writeDocument(try jsonString(json))
    }

    /// The array `jsonString` gives for all the rows, written an element at a time.
    func write<Row: Encodable>(_ listing: RowListing<Row>, to console: Console, style: Style) throws {
        let elements = JSONArrayElements()
        var out = ChunkedOutput(console.writeDocument)
        var empty = true
        try listing.produce { row in
            out.append(empty ? "[\n" : ",\n")
            out.append(try elements.text(row))
            empty = false
        }
        guard !empty else { return console.writeDocument(try jsonString([Row]())) }
        out.append("\n]\n")
        out.finish()
    }
}
