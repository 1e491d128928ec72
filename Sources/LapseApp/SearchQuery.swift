import Foundation
import LapseCore

/// Full-text search across incidents, events, quotes and parties.
public struct SearchQuery: Sendable {
    let store: any IncidentSearching

    public init(store: any IncidentSearching) { self.store = store }

    /// The query a person typed, parsed (`SearchExpression`): words, "quoted phrases", `OR`
    /// and `-word`. `SearchSyntaxError` when it cannot mean anything.
    public static func parse(_ text: String) throws(SearchSyntaxError) -> SearchExpression {
        try SearchExpression(parsing: text)
    }

    /// Hits for the query `text` that `filter` lets through, best first, at most `limit`.
    public func hits(for text: String, filter: SearchFilter = SearchFilter(), limit: Int) throws -> [SearchHit] {
        try store.searchHits(for: Self.parse(text), filter: filter, limit: limit)
    }

    /// Hits for every word, best first, at most `limit`.
    public func hits(for words: [String], limit: Int) throws -> [SearchHit] {
        try hits(for: words.joined(separator: " "), limit: limit)
    }
}
