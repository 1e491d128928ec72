import Foundation
import GRDB
import Testing
import LapseCore
@testable import LapseStore

/// Each migration's result is pinned: the schema (`sqlite_master`) and the file's pragmas after
/// it ran, compared with a committed file per migration under `Migrations/`. A migration that has
/// shipped never changes, so neither may what it creates. On a difference the test prints a diff
/// and writes what it got to a temporary file; it never updates a reference itself.
@Suite("Migration SQL")
struct MigrationSQLTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Migrations")

    /// The schema after the migrations up to `identifier`, as SQL text in a stable order.
    static func schema(after identifier: String) throws -> String {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: identifier)
        return try queue.read { db in
            var out = "-- \(identifier)\n"
            out += "PRAGMA application_id = \(try Int.fetchOne(db, sql: "PRAGMA application_id") ?? 0);\n"
            out += "PRAGMA user_version = \(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0);\n"
            let rows = try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
            for row in rows {
                out += "\n-- \(row["type"] as String) \(row["name"] as String)\n\(row["sql"] as String);\n"
            }
            return out
        }
    }

    /// Line-by-line differences, for the failure message.
    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : nil
            let y = i < b.count ? String(b[i]) : nil
            if x != y {
                if let x { out.append("line \(i + 1) - \(x)") }
                if let y { out.append("line \(i + 1) + \(y)") }
            }
        }
        return out.prefix(40).joined(separator: "\n")
    }

    @Test("every migration is pinned by a reference file, and no reference is left without its migration")
    func everyMigrationHasAReference() throws {
        let identifiers = Schema.migrator.migrations
        #expect(identifiers.count == Schema.version)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == (1...identifiers.count).map { "v\($0).sql" })
    }

    @Test("each migration creates exactly the schema of its reference file", arguments: Schema.migrator.migrations.enumerated().map { ($0.offset, $0.element) })
    func pinned(step: Int, identifier: String) throws {
        let reference = Self.folder.appendingPathComponent("v\(step + 1).sql")
        // A missing reference fails like a changed one, and shows what the migration creates.
        let expected = (try? String(contentsOf: reference, encoding: .utf8)) ?? ""
        let actual = try Self.schema(after: identifier)
        if actual != expected {
            let written = FileManager.default.temporaryDirectory.appendingPathComponent("lapse-migration-v\(step + 1).sql")
            try? actual.write(to: written, atomically: true, encoding: .utf8)
            Issue.record("""
                migration \"\(identifier)\" no longer creates what it shipped with (a landed migration is never \
                edited; add a new one). Differences (- reference, + now):
                \(Self.diff(expected, actual))
                What it creates now is in \(written.path).
                """)
        }
    }

    @Test("every value of the Swift vocabularies is one the latest schema accepts (a new one needs a migration)")
    func vocabulariesInSchema() throws {
        let schema = try Self.schema(after: try #require(Schema.migrator.migrations.last))
        let values = PartyKind.allCases.map(\.rawValue) + IncidentKind.allCases.map(\.rawValue)
            + EventType.allCases.map(\.rawValue) + Audience.allCases.map(\.rawValue)
        for value in values {
            #expect(schema.contains("'\(value)'"), "\(value) is not in the schema's checks; add a migration that rebuilds them")
        }
    }
}
