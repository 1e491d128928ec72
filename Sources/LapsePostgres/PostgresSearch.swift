import Foundation
import LapseCore

// Search on PostgreSQL: `tsvector` columns with GIN indexes, ranked by `ts_rank_cd`. The hit
// sets are SQLite's (the same words, the same grammar); the order among hits differs, since
// `ts_rank_cd` weighs how close the matched words stand rather than bm25's word rarity.
extension PostgresStore: IncidentSearching {
    public func searchHits(for query: SearchExpression, filter: SearchFilter, limit: Int) throws -> [SearchHit] {
        guard !query.isEmpty, limit > 0 else { return [] }
        let tsquery = SearchText.query(query)
        let words = query.highlights
        let terms = words.prefixes.map(SearchSnippet.fold), whole = words.whole.map(SearchSnippet.fold)
        return try read { session in
            var hits: [SearchHit] = []
            // Events.
            var events = Statement()
            let q = events.bind(.text(tsquery))
            var conditions = ["e.search @@ \(q)::tsquery"]
            if !filter.eventTypes.isEmpty { conditions.append("e.type = ANY(\(events.bind(.texts(filter.eventTypes.map(\.rawValue)))))") }
            if let since = filter.since { conditions.append("e.first_instant >= \(events.bind(.int(since)))::bigint") }
            if let before = filter.before { conditions.append("e.first_instant < \(events.bind(.int(before)))::bigint") }
            if let company = filter.company {
                let condition = try Self.condition(session, IncidentFilter(company: company), &events)
                conditions.append("e.incident_id IN (SELECT i.id FROM incident i WHERE \(condition))")
            }
            events.sql = """
                SELECT e.incident_id, e.type, e.at, btrim(coalesce(e.summary, '') || ' ' || coalesce(e.quote, '')), -ts_rank_cd(e.search, \(q)::tsquery) AS score
                FROM event e WHERE \(conditions.joined(separator: " AND ")) ORDER BY score, e.seq LIMIT \(events.bind(.int(limit)))::bigint
                """
            for r in try session.rows(events) {
                hits.append(SearchHit(kind: .event, incident: try r.text(0), label: try r.string(1), at: try r.text(2),
                                      snippet: SearchSnippet.make(try r.text(3) ?? "", terms: terms, whole: whole), score: try Self.score(r, 4)))
            }
            // Incidents.
            if !filter.eventsOnly {
                var incidents = Statement()
                let q = incidents.bind(.text(tsquery))
                var condition = "true"
                if let company = filter.company { condition = try Self.condition(session, IncidentFilter(company: company), &incidents) }
                incidents.sql = """
                    SELECT i.id, i.title, i.title || ' — ' || coalesce(i.summary, ''), -ts_rank_cd(i.search, \(q)::tsquery) AS score
                    FROM incident i WHERE i.search @@ \(q)::tsquery AND \(condition) ORDER BY score, i.id LIMIT \(incidents.bind(.int(limit)))::bigint
                    """
                for r in try session.rows(incidents) {
                    hits.append(SearchHit(kind: .incident, incident: try r.text(0), label: try r.string(1), at: nil,
                                          snippet: SearchSnippet.make(try r.text(2) ?? "", terms: terms, whole: whole), score: try Self.score(r, 3)))
                }
            }
            // Parties, for an unfiltered search.
            if filter.isEmpty {
                for r in try session.rows("""
                    SELECT p.id, p.name || coalesce(' (' || (SELECT string_agg(a.alias, ', ' ORDER BY a.position) FROM party_alias a WHERE a.party_id = p.id) || ')', ''),
                           -ts_rank_cd(p.search, $1::tsquery) AS score
                    FROM party p WHERE p.search @@ $1::tsquery ORDER BY score, p.id LIMIT $2::bigint
                    """, [.text(tsquery), .int(limit)]) {
                    hits.append(SearchHit(kind: .party, incident: nil, label: try r.string(0), at: nil,
                                          snippet: SearchSnippet.make(try r.text(1) ?? "", terms: terms, whole: whole), score: try Self.score(r, 2)))
                }
            }
            let best = hits.sorted { ($0.score, $0.kind.rawValue, $0.incident ?? "", $0.label) < ($1.score, $1.kind.rawValue, $1.incident ?? "", $1.label) }
            return Array(best.prefix(limit))
        }
    }

    /// A rank as a score where lower is better, as SQLite's bm25 gives it.
    private static func score(_ row: Row, _ column: Int) throws -> Double {
        Double(try row.cells[column].decode(Float.self, context: .default))
    }
}
