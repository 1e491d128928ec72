import GRDB

/// The INSERTs an import runs for every party, incident, event and source, prepared once per session.
final class Writers {
    private var partyRow: RowWriter?
    private var aliasRow: RowWriter?
    private var termRow: RowWriter?
    private var incidentRow: RowWriter?
    private var kindRow: RowWriter?
    private var jurisdictionRow: RowWriter?
    private var tagRow: RowWriter?
    private var eventRow: RowWriter?
    private var sourceRow: RowWriter?

    private func prepared(_ slot: inout RowWriter?, _ db: Database, _ sql: String) throws -> RowWriter {
        if let slot { return slot }
        let row = try RowWriter(db, sql: sql)
        slot = row
        return row
    }

    func party(_ db: Database) throws -> RowWriter {
        try prepared(&partyRow, db, """
            INSERT INTO party (id, name, kind, parent_id, affiliation_id, role, country, sector)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, kind = excluded.kind,
                parent_id = coalesce(excluded.parent_id, parent_id),
                affiliation_id = coalesce(excluded.affiliation_id, affiliation_id),
                role = coalesce(excluded.role, role),
                country = coalesce(excluded.country, country),
                sector = coalesce(excluded.sector, sector)
            """)
    }

    func alias(_ db: Database) throws -> RowWriter {
        try prepared(&aliasRow, db, "INSERT INTO party_alias (party_id, position, alias) VALUES (?, ?, ?)")
    }

    func term(_ db: Database) throws -> RowWriter {
        try prepared(&termRow, db, "INSERT OR IGNORE INTO party_term (term, party_id) VALUES (?, ?)")
    }

    func incident(_ db: Database) throws -> RowWriter {
        try prepared(&incidentRow, db, """
            INSERT INTO incident (id, title, organization_id, summary, records_affected, timezone, first_instant, first_at, event_count, kinds, closed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func kind(_ db: Database) throws -> RowWriter {
        try prepared(&kindRow, db, "INSERT INTO incident_kind (incident_id, position, kind) VALUES (?, ?, ?)")
    }

    func jurisdiction(_ db: Database) throws -> RowWriter {
        try prepared(&jurisdictionRow, db, "INSERT INTO incident_jurisdiction (incident_id, position, code) VALUES (?, ?, ?)")
    }

    func tag(_ db: Database) throws -> RowWriter {
        try prepared(&tagRow, db, "INSERT INTO incident_tag (incident_id, position, tag) VALUES (?, ?, ?)")
    }

    func event(_ db: Database) throws -> RowWriter {
        try prepared(&eventRow, db, """
            INSERT INTO event (incident_id, position, id, type, at, until, first_instant, party_id, summary, quote, channel, audience, language)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func source(_ db: Database) throws -> RowWriter {
        try prepared(&sourceRow, db, """
            INSERT INTO event_source (event_seq, position, url, title, publisher, published, retrieved) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }
}
