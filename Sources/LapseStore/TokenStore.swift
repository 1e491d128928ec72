import GRDB
import LapseCore

extension Schema {
    /// v6: API tokens for `lapse serve`. Never edited once landed: add a new migration.
    static func registerTokens(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: API tokens (name, role, SHA-256 hash of the secret)") { db in
            try db.execute(sql: v6)
        }
    }

    private static let v6 = """
        CREATE TABLE api_token (
            name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
            role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
            secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
            created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*')
        ) WITHOUT ROWID;
        PRAGMA user_version = 6;
        """
}

extension LapseDatabase: TokenStoring {
    public func addToken(_ token: APIToken, secretHash: String) throws {
        try Self.mappingErrors {
            try writeTransaction { db in
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_token WHERE name = ?", arguments: [token.name]) == true {
                    throw DataProblems(problems: [DataProblem(path: "name", message: "a token named \"\(token.name)\" exists; expected a new name (`lapse token list` lists them)")])
                }
                try db.execute(sql: "INSERT INTO api_token (name, role, secret_sha256, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [token.name, token.role.rawValue, secretHash, token.createdAt])
            }
        }
    }

    public func tokens() throws -> [APIToken] {
        try Self.mappingErrors {
            try writer.read { db in
                try Row.fetchAll(db, sql: "SELECT name, role, created_at FROM api_token ORDER BY name").map(Self.token)
            }
        }
    }

    public func token(withSecretHash hash: String) throws -> APIToken? {
        try Self.mappingErrors {
            try writer.read { db in
                try Row.fetchOne(db, sql: "SELECT name, role, created_at FROM api_token WHERE secret_sha256 = ?", arguments: [hash]).map(Self.token)
            }
        }
    }

    public func revokeToken(named name: String) throws -> Bool {
        try Self.mappingErrors {
            try writeTransaction { db in
                try db.execute(sql: "DELETE FROM api_token WHERE name = ?", arguments: [name])
                return db.changesCount > 0
            }
        }
    }

    private static func token(_ row: Row) -> APIToken {
        APIToken(name: row["name"], role: TokenRole(rawValue: row["role"]) ?? .reader, createdAt: row["created_at"])
    }
}
