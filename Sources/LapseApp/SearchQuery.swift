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

    /// Hits for the query `text` that `filter` lets through, best first, at most `limit`, each
    /// with its snippet cut into matched words and the text around them.
    public func hits(for text: String, filter: SearchFilter = SearchFilter(), limit: Int) throws -> [SearchResult] {
        let expression = try Self.parse(text)
        return try store.searchHits(for: expression, filter: filter, limit: limit).map { SearchResult($0, highlighting: expression) }
    }
}

/// One search hit for machines and pages: the `search` resource (Docs/json-contract.md). The
/// snippet is plain text, and `parts` cut it into runs that say which are matched words, so
/// nothing in the text (brackets, markup) can pass for a match marker.
public struct SearchResult: Encodable, Sendable, Hashable {
    public var kind: SearchHit.Kind
    /// The incident the hit belongs to (nil for parties).
    public var incident: String?
    /// The party id for party hits; the event type for events; the title for incidents.
    public var label: String
    /// For events: the time as written.
    public var at: String?
    /// The text around the first match, as stored (cut with `…`), without markers.
    public var snippet: String
    /// `snippet` in runs, in order; their texts joined are `snippet`.
    public var parts: [SnippetPart]
    /// bm25 rank: lower is better.
    public var score: Double

    public init(_ hit: SearchHit, highlighting query: SearchExpression) {
        kind = hit.kind
        incident = hit.incident
        label = hit.label
        at = hit.at
        parts = hit.parts(highlighting: query)
        snippet = parts.map(\.text).joined()
        score = hit.score
    }

    /// The snippet with each matched word in [brackets], as a terminal shows it.
    public var bracketed: String {
        parts.map { $0.match ? "[\($0.text)]" : $0.text }.joined()
    }
}
