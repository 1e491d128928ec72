import Foundation
import LapseCore

/// Full-text search across incidents, events, quotes and parties.
public struct SearchQuery: Sendable {
    let store: any IncidentSearching

    public init(store: any IncidentSearching) { self.store = store }

    /// Hits for every word, best first, at most `limit`.
    public func hits(for words: [String], limit: Int) throws -> [SearchHit] {
        try store.searchHits(for: words.joined(separator: " "), limit: limit)
    }
}
