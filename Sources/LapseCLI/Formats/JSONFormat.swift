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

/// JSON for machines: keys sorted (so output is byte-stable across runs), no escaped slashes.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Escape.json(String(decoding: try encoder.encode(value), as: UTF8.self)) + "\n"
}
