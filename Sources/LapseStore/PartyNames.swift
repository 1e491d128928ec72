import Foundation
import GRDB
import LapseCore

extension ImportSession {
    /// Every stored party other than people, as (id, name, aliases) in id order, including those
    /// written earlier in this import: importers match names against them.
    public func storedPartyNames() throws -> [(id: String, name: String, aliases: [String])] {
        var aliases: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT party_id, alias FROM party_alias ORDER BY party_id, position") {
            aliases[row[0], default: []].append(row[1])
        }
        return try Row.fetchAll(db, sql: "SELECT id, name FROM party WHERE kind <> 'person' ORDER BY id").map { row in
            (row[0], row[1], aliases[row[0]] ?? [])
        }
    }
}
