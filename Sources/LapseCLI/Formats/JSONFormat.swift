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
}
