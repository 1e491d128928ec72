import Foundation
import LapseCore
@testable import LapsePostgres
import PostgresTestSupport
import Testing

/// An import of more than one batch into an empty PostgreSQL database sets the incident tables'
/// secondary indexes and foreign keys aside and creates them again before it commits.
@Suite("PostgreSQL: bulk load into an empty database")
struct PostgresBulkLoadTests {
    /// Every index and constraint of the schema, as PostgreSQL describes it.
    static let schemaSQL = """
        SELECT 'index ' || indexrelid::regclass || ': ' || pg_get_indexdef(indexrelid) FROM pg_index
        WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
        UNION ALL
        SELECT 'constraint ' || conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid)
            || CASE WHEN condeferrable THEN ' deferrable' ELSE '' END || CASE WHEN condeferred THEN ' deferred' ELSE '' END
            || CASE WHEN convalidated THEN '' ELSE ' not valid' END
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        ORDER BY 1
        """

    static func schema(_ store: PostgresStore) throws -> [String] {
        try store.read { try $0.strings(schemaSQL) }
    }

    /// The object ids of the indexes of the event table: an index created again has a new one.
    static func eventIndexIDs(_ store: PostgresStore) throws -> Set<String> {
        Set(try store.read { try $0.strings("SELECT indexrelid::oid::text FROM pg_index WHERE indrelid = 'event'::regclass") })
    }

    static func incidents(_ count: Int, party: String = "acme") -> [Incident] {
        (0..<count).map { n in
            Incident(id: "bulk-\(n)", title: "Bulk incident \(n)", organization: "acme", kinds: [.breach, .outage], jurisdictions: ["US-WA"],
                     tags: ["bulk"], events: [
                        Event(id: "found", type: .detection, at: t("2021-03-04"), summary: "Intrusion number \(n) found",
                              sources: [Source(url: "https://example.com/\(n)")]),
                        Event(type: .disclosure, at: t("2021-04-05"), party: party, summary: "Disclosed by the company"),
                     ])
        }
    }

    @Test("an import of 1,200 incidents into an empty database leaves every index and constraint as migrated, and every row and search hit")
    func schemaRestored() throws {
        guard let url = try PostgresCluster.forTest(fail: { Issue.record("\($0)") })?.newDatabase() else { return }
        let store = try PostgresStore.open(url: url)
        defer { store.close() }
        let schema = try Self.schema(store)
        let indexes = try Self.eventIndexIDs(store)
        #expect(schema.contains { $0.contains("event_search") && $0.contains("gin") })
        try store.importing { sink in
            try sink.add(StoreContractTests.acme, at: RecordLocation())
            for incident in Self.incidents(1200) { try sink.add(incident, at: RecordLocation()) }
        }
        #expect(try Self.schema(store) == schema)
        #expect(try Self.eventIndexIDs(store) != indexes, "the event table's secondary indexes were built again after the load")
        #expect(try store.incident(withID: "bulk-1199") == Self.incidents(1200)[1199])
        #expect(try store.searchHits(for: "intrusion", limit: 5000).count == 1200)
        #expect(try store.changes(selectedBy: ChangeFilter(), limit: nil).first?.records.count == 1201)
        // The constraints hold again: an event of an incident that does not exist is refused.
        #expect(throws: (any Error).self) {
            try store.write { try $0.execute("INSERT INTO event (incident_id, position, type, at, first_instant) VALUES ('nope', 0, 'other', '2020', 0)") }
        }
    }

    @Test("a large import into an empty database that names a missing party fails whole, says which, and leaves the schema as migrated")
    func failureRollsBack() throws {
        guard let url = try PostgresCluster.forTest(fail: { Issue.record("\($0)") })?.newDatabase() else { return }
        let store = try PostgresStore.open(url: url)
        defer { store.close() }
        let schema = try Self.schema(store)
        let indexes = try Self.eventIndexIDs(store)
        var incidents = Self.incidents(1200)
        incidents[1100] = Self.incidents(1101, party: "nobody")[1100]
        #expect {
            try store.importing { sink in
                try sink.add(StoreContractTests.acme, at: RecordLocation())
                for incident in incidents { try sink.add(incident, at: RecordLocation()) }
            }
        } throws: { error in
            "\(error)".contains("nobody")
        }
        #expect(try Self.schema(store) == schema)
        #expect(try Self.eventIndexIDs(store) == indexes)
        #expect(try store.read { try $0.strings("SELECT count(*)::text FROM event") } == ["0"])
    }
}
