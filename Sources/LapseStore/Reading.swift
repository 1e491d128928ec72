import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    // MARK: - Parties

    public func parties(kind: PartyKind? = nil) throws -> [Party] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM party WHERE ?1 IS NULL OR kind = ?1 ORDER BY id",
                                        arguments: [kind?.rawValue])
            return try Self.parties(db, rows: rows)
        }
    }

    public func party(id: String) throws -> Party? {
        try writer.read { db in
            try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party WHERE id = ?", arguments: [id])).first
        }
    }

    static func parties(_ db: Database, rows: [Row]) throws -> [Party] {
        var aliases: [String: [String]] = [:]
        if !rows.isEmpty {
            let all = try Row.fetchAll(db, sql: "SELECT party_id, alias FROM party_alias ORDER BY party_id, position")
            for row in all { aliases[row["party_id"], default: []].append(row["alias"]) }
        }
        return try rows.map { row in
            Party(id: row["id"], name: row["name"], kind: try PartyKind.parse(row["kind"]),
                  aliases: aliases[row["id"]] ?? [], parent: row["parent_id"], affiliation: row["affiliation_id"],
                  role: row["role"], country: row["country"], sector: row["sector"])
        }
    }

    // MARK: - Incidents

    /// The full incident with its events and sources, or nil.
    public func incident(id: String) throws -> Incident? {
        try writer.read { db in try Self.fetchIncidents(db, ids: [id]).first }
    }

    /// Full incidents matching the filter, ordered by id.
    public func incidents(matching filter: IncidentFilter) throws -> [Incident] {
        try writer.read { db in
            let ids = try Self.incidentIDs(db, filter)
            return try Self.fetchIncidents(db, ids: ids)
        }
    }

    /// One line per incident matching the filter, ordered by first event then id.
    public func incidentSummaries(matching filter: IncidentFilter) throws -> [IncidentSummary] {
        try writer.read { db in
            let (condition, arguments) = try Self.condition(db, filter)
            var summaries: [IncidentSummary] = []
            try Self.forEachRow(db, sql: """
                SELECT i.id, i.title, i.organization_id, p.name, i.records_affected, i.kinds, i.first_at, i.event_count
                FROM incident i JOIN party p ON p.id = i.organization_id
                WHERE \(condition)
                ORDER BY i.first_instant IS NULL, i.first_instant, i.id
                """, arguments: arguments) { row in
                let kinds: String = row[5]
                summaries.append(IncidentSummary(
                    id: row[0], title: row[1], organization: row[2], organizationName: row[3],
                    kinds: try kinds.split(separator: ",").map { try IncidentKind.parse(String($0)) },
                    recordsAffected: row[4], firstEvent: row[6], eventCount: row[7]))
            }
            return summaries
        }
    }

    static func incidentIDs(_ db: Database, _ filter: IncidentFilter) throws -> [String] {
        let (condition, arguments) = try condition(db, filter)
        return try String.fetchAll(db, sql: "SELECT i.id FROM incident i WHERE \(condition) ORDER BY i.id", arguments: arguments)
    }

    /// The SQL condition on `incident i` for a filter.
    static func condition(_ db: Database, _ filter: IncidentFilter) throws -> (String, StatementArguments) {
        var clauses = ["1"]
        var arguments = StatementArguments()
        if !filter.ids.isEmpty {
            clauses.append("i.id IN (SELECT value FROM json_each(?))")
            arguments += [jsonArray(filter.ids)]
        }
        var organizations: [String]? = filter.organizations.isEmpty ? nil : filter.organizations
        if let company = filter.company {
            let matched = try matchingParties(db, company)
            organizations = organizations.map { Array(Set($0).intersection(matched)) } ?? matched
        }
        if let organizations {
            clauses.append("""
                i.organization_id IN (
                    WITH RECURSIVE matched(id) AS (
                        SELECT value FROM json_each(?)
                        UNION
                        SELECT p.id FROM party p JOIN matched m ON p.parent_id = m.id
                    )
                    SELECT id FROM matched)
                """)
            arguments += [jsonArray(organizations)]
        }
        if !filter.kinds.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM incident_kind k WHERE k.incident_id = i.id AND k.kind IN (\(databaseQuestionMarks(count: filter.kinds.count))))")
            arguments += StatementArguments(filter.kinds.map(\.rawValue))
        }
        if !filter.sectors.isEmpty {
            clauses.append("EXISTS (SELECT 1 FROM party sp JOIN json_each(?) w ON lower(sp.sector) = lower(w.value) WHERE sp.id = i.organization_id)")
            arguments += [jsonArray(filter.sectors)]
        }
        if !filter.jurisdictions.isEmpty {
            clauses.append("""
                EXISTS (SELECT 1 FROM incident_jurisdiction j JOIN json_each(?) w
                        ON upper(j.code) = upper(w.value) OR upper(j.code) LIKE upper(w.value) || '-%'
                        WHERE j.incident_id = i.id)
                """)
            arguments += [jsonArray(filter.jurisdictions)]
        }
        if let minRecords = filter.minRecords {
            clauses.append("i.records_affected >= ?")
            arguments += [minRecords]
        }
        var dated = "i.first_instant"
        if filter.dateOf != nil, filter.since != nil || filter.before != nil {
            dated = "(SELECT min(e.first_instant) FROM event e WHERE e.incident_id = i.id AND e.type = ?)"
        }
        if let since = filter.since {
            clauses.append("\(dated) >= ?")
            if let type = filter.dateOf { arguments += [type.rawValue] }
            arguments += [since]
        }
        if let before = filter.before {
            clauses.append("\(dated) < ?")
            if let type = filter.dateOf { arguments += [type.rawValue] }
            arguments += [before]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    /// The ids of the parties a company name matches (`CompanyMatch`), any rank.
    static func matchingParties(_ db: Database, _ name: String) throws -> [String] {
        let query = CompanyMatch.Query(name)
        var names: [String: [String]] = [:]
        try forEachRow(db, sql: "SELECT p.id, p.name FROM party p", arguments: []) { row in names[row[0], default: []].insert(row[1], at: 0) }
        try forEachRow(db, sql: "SELECT party_id, alias FROM party_alias ORDER BY party_id, position", arguments: []) { row in
            names[row[0], default: []].append(row[1])
        }
        return names.compactMap { id, names in query.rank(id: id, names: names) == nil ? nil : id }.sorted()
    }

    /// Streams the rows of a query without loading them all.
    private static func forEachRow(_ db: Database, sql: String, arguments: StatementArguments, _ body: (Row) throws -> Void) throws {
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() { try body(row) }
    }

    private static func storedTime(_ text: String?) throws -> EventTime? {
        try text.map { try EventTime(parsing: $0) }
    }

    // MARK: - Export

    /// A `lapse/1` document of the selected incidents (all when the filter is empty) and the
    /// parties they need, in a stable order: parties and incidents by id, events as written.
    public func document(matching filter: IncidentFilter?) throws -> LapseDocument {
        try writer.read { db in
            guard let filter else {
                let parties = try Self.parties(db, rows: Row.fetchAll(db, sql: "SELECT * FROM party ORDER BY id"))
                let ids = try String.fetchAll(db, sql: "SELECT id FROM incident ORDER BY id")
                return LapseDocument(parties: parties, incidents: try Self.fetchIncidents(db, ids: ids))
            }
            let incidents = try Self.fetchIncidents(db, ids: Self.incidentIDs(db, filter))
            // Every party the incidents name, and the parties those name in turn.
            let ids = try Self.withParentsAndAffiliations(db, Set(incidents.flatMap { [$0.organization] + $0.events.compactMap(\.party) })).sorted()
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM party WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                                        arguments: [jsonArray(ids)])
            return LapseDocument(parties: try Self.parties(db, rows: rows), incidents: incidents)
        }
    }

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

/// Strings as one JSON array, for `json_each(?)`: any number of values in one bound parameter
/// (SQLite limits the number of `?` in a statement).
func jsonArray(_ values: [String]) -> String {
    String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
}

extension LapseDatabase {
    /// The parties named, and every parent and affiliation those name in turn.
    static func withParentsAndAffiliations(_ db: Database, _ named: Set<String>) throws -> Set<String> {
        var needed = named
        var frontier = needed
        while !frontier.isEmpty {
            let rows = try Row.fetchAll(db, sql: "SELECT parent_id, affiliation_id FROM party WHERE id IN (SELECT value FROM json_each(?))",
                                        arguments: [jsonArray(Array(frontier))])
            let next = Set(rows.flatMap { [$0["parent_id"] as String?, $0["affiliation_id"] as String?].compactMap { $0 } })
            frontier = next.subtracting(needed)
            needed.formUnion(frontier)
        }
        return needed
    }
}
