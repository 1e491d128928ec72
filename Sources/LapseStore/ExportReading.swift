import Foundation
import GRDB
import LapseCore

extension LapseDatabase {
    // MARK: - Export in batches

    /// Runs `body` with a reader of the selected incidents (all when the filter is nil) inside
    /// one read transaction, so every pass over them sees the same data however long the
    /// export takes. The reader holds a batch at a time: memory stays flat in the database size.
    /// `batchSize` is how many incidents (or parties) one batch holds.
    public func withExportReader<T>(matching filter: IncidentFilter?, batchSize: Int = exportBatchSize,
                                    _ body: (ExportReader) throws -> T) throws -> T {
        try writer.read { db in try body(ExportReader(db: db, filter: filter, batchSize: max(1, batchSize))) }
    }
}

/// Reads an export's incidents and parties in key order, a bounded batch at a time.
/// Valid only inside `LapseDatabase.withExportReader`.
public struct ExportReader: IncidentExportReader {
    let db: Database
    let filter: IncidentFilter?
    let batchSize: Int

    /// The selected incidents by id, a batch at a time, each batch read after the last key.
    public func forEachIncidentBatch(_ body: ([Incident]) throws -> Void) throws {
        try forEachBatch(.whole, body)
    }

    /// The selected incidents for measuring: events without sources, and without summaries and
    /// statements unless `withText` (then the quote alone), a batch at a time.
    public func forEachMeasurementBatch(withText: Bool, _ body: ([Incident]) throws -> Void) throws {
        try forEachBatch(.measuring(withText: withText), body)
    }

    private func forEachBatch(_ detail: LapseDatabase.IncidentDetail, _ body: ([Incident]) throws -> Void) throws {
        let size = batchSize
        let (condition, arguments) = try filter.map { try LapseDatabase.condition(db, $0) } ?? ("1", StatementArguments())
        let page = try db.makeStatement(sql: "SELECT i.id FROM incident i WHERE \(condition) AND i.id > ? ORDER BY i.id LIMIT ?")
        var after = ""
        while true {
            let ids = try String.fetchAll(page, arguments: arguments + [after, size])
            guard let last = ids.last else { return }
            // Unfiltered, the batch is every incident after the last key up to its own last: read
            // along the indexes, in order.
            try body(try LapseDatabase.fetchIncidents(db, filter == nil ? .range(after: after, through: last) : .ids(ids), order: ids, detail))
            after = last
        }
    }

    /// The parties of the export by id, a batch at a time: every party without a filter, else
    /// the ones the selected incidents name and the parents and affiliations those name in turn.
    public func forEachPartyBatch(_ body: ([Party]) throws -> Void) throws {
        let size = batchSize
        if filter == nil {
            let page = try db.makeStatement(sql: "SELECT id FROM party WHERE id > ? ORDER BY id LIMIT ?")
            var after = ""
            while true {
                let ids = try String.fetchAll(page, arguments: [after, size])
                guard let last = ids.last else { return }
                try body(try parties(ids: ids))
                after = last
            }
        }
        let ids = try neededPartyIDs()
        for start in stride(from: 0, to: ids.count, by: size) {
            try body(try parties(ids: Array(ids[start..<min(start + size, ids.count)])))
        }
    }

    /// The whole change log, newest first, read in the export's transaction.
    public func changes() throws -> [Change] {
        try Int.fetchAll(db, sql: "SELECT id FROM change_log ORDER BY id DESC").compactMap { try LapseDatabase.change(db, id: $0) }
    }

    /// The parties with these ids, by id, for lookups while writing a batch of incidents.
    public func parties(ids: [String]) throws -> [Party] {
        guard !ids.isEmpty else { return [] }
        let wanted = [jsonArray(ids)]
        var aliases: [String: [String]] = [:]
        try RowReader(db, sql: """
            SELECT a.party_id, a.alias FROM party_alias a JOIN json_each(?1) w ON w.value = a.party_id
            ORDER BY a.party_id, a.position
            """, wanted).forEach { r in aliases[r.text(0)!, default: []].append(r.text(1)!) }
        var parties: [Party] = []
        parties.reserveCapacity(ids.count)
        try RowReader(db, sql: """
            SELECT p.id, p.name, p.kind, p.parent_id, p.affiliation_id, p.role, p.country, p.sector
            FROM party p JOIN json_each(?1) w ON w.value = p.id ORDER BY p.id
            """, wanted).forEach { r in
            let id = r.text(0)!
            parties.append(Party(id: id, name: r.text(1)!, kind: try PartyKind.parse(r.text(2)!), aliases: aliases[id] ?? [],
                                 parent: r.text(3), affiliation: r.text(4), role: r.text(5), country: r.text(6), sector: r.text(7)))
        }
        return parties
    }

    /// Every party the selected incidents name, and the parties those name in turn, sorted.
    /// Party ids only: bounded by the number of parties, not of incidents or events.
    private func neededPartyIDs() throws -> [String] {
        guard let filter else { return [] }
        let (condition, arguments) = try LapseDatabase.condition(db, filter)
        let named = Set(try String.fetchAll(db, sql: """
            SELECT i.organization_id FROM incident i WHERE \(condition)
            UNION
            SELECT e.party_id FROM event e JOIN incident i ON i.id = e.incident_id WHERE \(condition) AND e.party_id IS NOT NULL
            """, arguments: arguments + arguments))
        return try LapseDatabase.withParentsAndAffiliations(db, named).sorted()
    }
}

extension LapseDatabase {
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
