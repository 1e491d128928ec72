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
}
