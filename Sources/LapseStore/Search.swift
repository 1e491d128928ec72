import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    // MARK: - Search

    /// Ranked full-text hits across incidents, events and their quotes, and parties, for `text`
    /// parsed as a `SearchExpression`.
    public func search(_ text: String, limit: Int = 20) throws -> [SearchHit] {
        try search(SearchExpression(parsing: text), filter: SearchFilter(), limit: limit)
    }

    /// Ranked full-text hits for `query` that `filter` lets through.
    public func search(_ query: SearchExpression, filter: SearchFilter, limit: Int = 20) throws -> [SearchHit] {
        try search(query, filter: filter, limit: limit, halvingFrom: Self.eventsRankedInHalves)
    }

    /// `search` of `text`, ranking the event index in two parts once it holds `halvingFrom` events.
    func search(_ text: String, limit: Int, halvingFrom: Int64) throws -> [SearchHit] {
        try search(SearchExpression(parsing: text), filter: SearchFilter(), limit: limit, halvingFrom: halvingFrom)
    }

    /// `search`, ranking the event index in two parts once it holds `halvingFrom` events.
    func search(_ query: SearchExpression, filter: SearchFilter, limit: Int, halvingFrom: Int64) throws -> [SearchHit] {
        guard !query.isEmpty else { return [] }
        let words = query.highlights
        // Rank each index alone, keeping only its best rows; joins and snippets are made for the
        // few hits shown, not for every match (a common word matches a hundred thousand events).
        var all: [SearchJob] = [.init(kind: .event, table: "event_fts", filter: filter)]
        if !filter.eventsOnly { all.append(.init(kind: .incident, table: "incident_fts", filter: filter)) }
        if filter.isEmpty { all.append(.init(kind: .party, table: "party_fts", filter: filter)) }
        let lastEvent = try writer.read { try Int64.fetchOne($0, sql: "SELECT max(seq) FROM event") } ?? 0
        if lastEvent >= halvingFrom {
            // A large event index is ranked in two parts at once, on two connections: bm25 scores a
            // row with counts over the whole index, so the best rows of the parts, merged, are
            // exactly the best rows of the whole. Each part repeats the counts bm25 needs; the first
            // is the smaller, since its connection also ranks the incident index. The two reads
            // and the one that fetches the hits must see the same data: each reads the store's
            // generation (every write adds one), and if an import came in between, search again.
            let split = lastEvent * 38 / 100
            var first = all.filter { $0.kind == .incident }, second = all.filter { $0.kind == .party }
            first.append(.init(kind: .event, table: "event_fts", filter: filter, rowids: Int64.min...split))
            second.append(.init(kind: .event, table: "event_fts", filter: filter, rowids: (split + 1)...Int64.max))
            let workers = [first, second]
            for _ in 0..<3 {
                let found = SearchResults()
                let writer = self.writer
                DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
                    found.add {
                        try writer.read { db in
                            (try Self.generation(db), try workers[worker].flatMap { try Self.rank(db, $0, query: query, limit: limit) })
                        }
                    }
                }
                let (generations, ranked) = try found.all()
                let (generation, hits) = try writer.read { db in
                    (try Self.generation(db), try Self.hits(db, ranked: ranked, words: words, limit: limit))
                }
                if generations.allSatisfy({ $0 == generation }) { return hits }
            }
        }
        // One read: ranking and hits see the same data.
        return try writer.read { db in
            try Self.hits(db, ranked: all.flatMap { try Self.rank(db, $0, query: query, limit: limit) }, words: words, limit: limit)
        }
    }

    /// One full-text index (or a range of its rows) to rank.
    struct SearchJob: Sendable {
        var kind: SearchHit.Kind
        var table: String
        var filter: SearchFilter
        var rowids: ClosedRange<Int64>? = nil
    }

    /// The best `limit` rows of one index by bm25 that the job's filter lets through, ties broken by rowid.
    private static func rank(_ db: Database, _ job: SearchJob, query: SearchExpression, limit: Int) throws -> [RankedRow] {
        let match = try matchExpression(db, table: job.table, query: query)
        var conditions: [String] = []
        var arguments: StatementArguments = [match]
        if let rowids = job.rowids {
            conditions.append("rowid BETWEEN ? AND ?")
            arguments += [rowids.lowerBound, rowids.upperBound]
        }
        let filter = job.filter
        if job.kind == .event && !filter.isEmpty {
            var on: [String] = []
            if !filter.eventTypes.isEmpty {
                on.append("e.type IN (SELECT value FROM json_each(?))")
                arguments += [jsonArray(filter.eventTypes.map(\.rawValue))]
            }
            if let since = filter.since {
                on.append("e.first_instant >= ?")
                arguments += [since]
            }
            if let before = filter.before {
                on.append("e.first_instant < ?")
                arguments += [before]
            }
            if let company = filter.company {
                let (condition, more) = try condition(db, IncidentFilter(company: company))
                on.append("e.incident_id IN (SELECT i.id FROM incident i WHERE \(condition))")
                arguments += more
            }
            conditions.append("rowid IN (SELECT e.seq FROM event e WHERE \(on.joined(separator: " AND ")))")
        } else if job.kind == .incident, let company = filter.company {
            let (condition, more) = try condition(db, IncidentFilter(company: company))
            conditions.append("rowid IN (SELECT i.seq FROM incident i WHERE \(condition))")
            arguments += more
        }
        arguments += [limit]
        let restricted = conditions.map { "AND \($0) " }.joined()
        return try Row.fetchAll(db, sql: "SELECT rowid, bm25(\(job.table)) AS score FROM \(job.table) WHERE \(job.table) MATCH ? \(restricted)ORDER BY score, rowid LIMIT ?",
                                arguments: arguments).map { RankedRow(kind: job.kind, rowid: $0[0], score: $0[1]) }
    }

    /// The FTS5 MATCH expression for `query` in one index. Every term is an FTS5 string (its
    /// double quotes doubled), so nothing typed is read as FTS5 syntax; the index's tokenizer
    /// splits it as it split the text. A word of one token is a prefix ("ransom" finds
    /// "ransomware"); a word that punctuation splits ("AT&T", "8-K") and a quoted phrase are
    /// phrases of whole tokens ("at t" is not "attorneys", "8 k" not "1.8 million"). A plain
    /// lower-case ASCII word the index holds only as itself is matched as that term: FTS5 merges
    /// the lists of a prefix's terms even when there is one, and ranks a fifth slower. Same rows,
    /// same scores.
    static func matchExpression(_ db: Database, table: String, query: SearchExpression) throws -> String {
        let vocabulary = ["event_fts", "incident_fts"].contains(table)
            ? try db.cachedStatement(sql: "SELECT term FROM \(table)_terms WHERE term >= ? AND term < ? LIMIT 1") : nil
        func string(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        func term(_ term: SearchExpression.Term) throws -> String {
            guard case .word(let word) = term, SearchExpression.tokens(word).count == 1 else { return string(term.text) }
            let token = word.lowercased()
            if let vocabulary, token.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) {
                let end = token + "\u{10FFFF}"
                let first = try String.fetchOne(vocabulary, arguments: [token, end])
                let longer = try String.fetchOne(vocabulary, arguments: [token + "\u{1}", end])
                if first == token && longer == nil { return string(token) }
            }
            return string(word) + "*"
        }
        func any(_ terms: [SearchExpression.Term]) throws -> String {
            let parts = try terms.map(term)
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
        }
        var expression = try query.clauses.map(any).joined(separator: " AND ")
        if !query.excluded.isEmpty { expression = "(" + expression + ") NOT " + (try any(query.excluded)) }
        return expression
    }

    /// The store's write generation: it changes with every committed write.
    private static func generation(_ db: Database) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT n FROM store_generation")) ?? 0
    }

    /// The best hits of the ranked rows, with their details and snippets.
    private static func hits(_ db: Database, ranked: [RankedRow], words: (prefixes: [String], whole: [String]), limit: Int) throws -> [SearchHit] {
        // Details by primary key; the snippet is cut from the stored text here, since FTS5's
        // snippet() would run the whole match again for each hit.
        let details: [SearchHit.Kind: String] = [
            .incident: "SELECT id AS incident, title AS label, NULL AS at, title || ' — ' || coalesce(summary, '') AS text FROM incident WHERE seq = ?",
            .event: "SELECT incident_id AS incident, type AS label, at, trim(coalesce(summary, '') || ' ' || coalesce(quote, '')) AS text FROM event WHERE seq = ?",
            .party: "SELECT NULL AS incident, id AS label, NULL AS at, name || coalesce(' (' || (SELECT group_concat(alias, ', ') FROM party_alias a WHERE a.party_id = party.id) || ')', '') AS text FROM party WHERE seq = ?",
        ]
        let terms = words.prefixes.map(SearchSnippet.fold), whole = words.whole.map(SearchSnippet.fold)
        var hits: [SearchHit] = []
        for hit in ranked.sorted(by: { ($0.score, $0.kind.rawValue, $0.rowid) < ($1.score, $1.kind.rawValue, $1.rowid) }).prefix(limit) {
            guard let sql = details[hit.kind],
                  let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [hit.rowid]) else { continue }
            hits.append(SearchHit(kind: hit.kind, incident: row["incident"], label: row["label"], at: row["at"],
                                  snippet: SearchSnippet.make(row["text"] ?? "", terms: terms, whole: whole), score: hit.score))
        }
        return hits.sorted { ($0.score, $0.kind.rawValue, $0.incident ?? "", $0.label) < ($1.score, $1.kind.rawValue, $1.incident ?? "", $1.label) }
    }

    /// From this many events on, `search` ranks the event index in two halves at once.
    static let eventsRankedInHalves: Int64 = 200_000
}

/// One ranked full-text row.
struct RankedRow: Sendable {
    var kind: SearchHit.Kind
    var rowid: Int64
    var score: Double
}

/// What a search's concurrent index reads found (each with the store generation it read), and
/// the first error of any.
private final class SearchResults: @unchecked Sendable {
    private let lock = NSLock()
    private var generations: [Int] = []
    private var rows: [RankedRow] = []
    private var error: (any Error)?

    func add(_ body: () throws -> (generation: Int, rows: [RankedRow])) {
        let result = Result(catching: body)
        lock.withLock {
            switch result {
            case .success(let found):
                generations.append(found.generation)
                rows += found.rows
            case .failure(let failure): error = error ?? failure
            }
        }
    }

    func all() throws -> (generations: [Int], rows: [RankedRow]) {
        try lock.withLock {
            if let error { throw error }
            return (generations, rows)
        }
    }
}
