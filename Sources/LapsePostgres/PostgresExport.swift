import Foundation
import LapseCore

extension PostgresStore: IncidentExporting {
    /// One read-only REPEATABLE READ transaction for the whole export: every batch sees the
    /// same data however long it takes, and the reader holds one batch at a time.
    public func withExportReader<T>(selectedBy filter: IncidentFilter?, batchSize: Int, _ body: (any IncidentExportReader) throws -> T) throws -> T {
        try read { session in try body(PostgresExportReader(session: session, filter: filter, batchSize: max(1, batchSize))) }
    }
}

/// Reads an export's incidents and parties in key order, a bounded batch at a time.
struct PostgresExportReader: IncidentExportReader {
    let session: Session
    let filter: IncidentFilter?
    let batchSize: Int

    func forEachIncidentBatch(_ body: ([Incident]) throws -> Void) throws {
        try forEachBatch(.whole, body)
    }

    func forEachMeasurementBatch(withText: Bool, _ body: ([Incident]) throws -> Void) throws {
        try forEachBatch(.measuring(withText: withText), body)
    }

    private func forEachBatch(_ detail: PostgresStore.Detail, _ body: ([Incident]) throws -> Void) throws {
        var after = ""
        while true {
            var statement = Statement()
            let condition = try filter.map { try PostgresStore.condition(session, $0, &statement) } ?? "true"
            statement.sql = "SELECT i.id FROM incident i WHERE \(condition) AND i.id > \(statement.bind(.text(after))) ORDER BY i.id LIMIT \(statement.bind(.int(batchSize)))::bigint"
            let ids = try session.rows(statement).map { try $0.string(0) }
            guard let last = ids.last else { return }
            try body(try PostgresStore.fetchIncidents(session, ids: ids, detail))
            after = last
        }
    }

    func forEachPartyBatch(_ body: ([Party]) throws -> Void) throws {
        if filter == nil {
            var after = ""
            while true {
                let ids = try session.strings("SELECT id FROM party WHERE id > $1 ORDER BY id LIMIT $2::bigint", [.text(after), .int(batchSize)])
                guard let last = ids.last else { return }
                try body(try parties(ids: ids))
                after = last
            }
        }
        let ids = try neededPartyIDs()
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            try body(try parties(ids: Array(ids[start..<min(start + batchSize, ids.count)])))
        }
    }

    func parties(ids: [String]) throws -> [Party] {
        try PostgresStore.parties(session, ids: ids)
    }

    func changes() throws -> [Change] {
        try session.rows("SELECT id FROM change_log ORDER BY id DESC").compactMap { try $0.int(0) }
            .compactMap { try PostgresStore.change(session, id: $0) }
    }

    /// Every party the selected incidents name, and the parties those name in turn, sorted.
    private func neededPartyIDs() throws -> [String] {
        guard let filter else { return [] }
        var statement = Statement()
        let condition = try PostgresStore.condition(session, filter, &statement)
        statement.sql = """
            SELECT i.organization_id FROM incident i WHERE \(condition)
            UNION
            SELECT e.party_id FROM event e JOIN incident i ON i.id = e.incident_id WHERE \(condition) AND e.party_id IS NOT NULL
            """
        let named = Set(try session.rows(statement).map { try $0.string(0) })
        return try PostgresStore.withParentsAndAffiliations(session, named).sorted()
    }
}

extension PostgresStore: TokenStoring {
    public func addToken(_ token: APIToken, secretHash: String) throws {
        try write { session in
            if try session.one("SELECT 1 FROM api_token WHERE name = $1", [.text(token.name)]) != nil {
                throw DataProblems(problems: [DataProblem(path: "name", message: "a token named \"\(token.name)\" exists; expected a new name (`lapse token list` lists them)")])
            }
            try session.execute("INSERT INTO api_token (name, role, secret_sha256, created_at) VALUES ($1, $2, $3, $4)",
                                [.text(token.name), .text(token.role.rawValue), .text(secretHash), .text(token.createdAt)])
        }
    }

    public func tokens() throws -> [APIToken] {
        try read { session in try session.rows("SELECT name, role, created_at FROM api_token ORDER BY name COLLATE \"C\"").map(Self.token) }
    }

    public func token(withSecretHash hash: String) throws -> APIToken? {
        try read { session in try session.one("SELECT name, role, created_at FROM api_token WHERE secret_sha256 = $1", [.text(hash)]).map(Self.token) }
    }

    public func revokeToken(named name: String) throws -> Bool {
        try write { session in try session.execute("DELETE FROM api_token WHERE name = $1", [.text(name)]) > 0 }
    }

    private static func token(_ row: Row) throws -> APIToken {
        APIToken(name: try row.string(0), role: TokenRole(rawValue: try row.string(1)) ?? .reader, createdAt: try row.string(2))
    }
}
