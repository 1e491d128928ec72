import Foundation

/// Strings as one JSON array, for `json_each(?)`: any number of values in one bound parameter
/// (SQLite limits the number of `?` in a statement).
func jsonArray(_ values: [String]) -> String {
    String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
}
