import Foundation
import LapseCore

/// The PostgreSQL store's migrations, numbered from 1 in `lapse_migration`. A migration that
/// has landed is never edited: add a new one. Vocabularies are literals, never the Swift enums,
/// so a case added later cannot change what an old migration created.
enum PostgresSchema {
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (1, "parties, incidents, events, sources, full-text search, change log, API tokens", v1),
    ]

    static var version: Int { migrations.last!.version }

    /// Lock held while migrating, so two first opens do not both create the tables.
    static let migrationLockKey = 0x4C41_5053_4D49_4752

    /// Checks the schema on open; applies the missing migrations when `migrating`.
    static func prepare(_ session: Session, migrating: Bool) throws {
        let applied = try appliedVersions(session)
        if let newest = applied.max(), newest > version {
            throw PostgresUnavailable.newerSchema(location: "", version: newest, known: version)
        }
        let missing = migrations.map(\.version).filter { !applied.contains($0) }
        guard !missing.isEmpty else { return }
        guard migrating else { throw PostgresUnavailable.needsMigration(location: "", versions: missing) }
        _ = try migrate(session)
    }

    /// The versions applied, or none when the table does not exist yet.
    static func appliedVersions(_ session: Session) throws -> Set<Int> {
        guard try session.one("SELECT to_regclass('lapse_migration') IS NOT NULL")?.bool(0) == true else { return [] }
        return Set(try session.rows("SELECT version FROM lapse_migration").compactMap { try $0.int(0) })
    }

    /// Applies each missing migration in its own transaction, under a lock.
    static func migrate(_ session: Session) throws -> [Int] {
        try session.execute("SELECT pg_advisory_lock($1)", [.int(migrationLockKey)])
        defer { _ = try? session.execute("SELECT pg_advisory_unlock($1)", [.int(migrationLockKey)]) }
        try session.script("""
            CREATE TABLE IF NOT EXISTS lapse_migration (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = try appliedVersions(session)
        var done: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            try session.script("BEGIN")
            do {
                try session.script(migration.sql)
                try session.execute("INSERT INTO lapse_migration (version, name) VALUES ($1, $2)", [.int(migration.version), .text(migration.name)])
                try session.script("COMMIT")
            } catch {
                try? session.script("ROLLBACK")
                throw error
            }
            done.append(migration.version)
        }
        return done
    }

    // MARK: - v1

    private static let partyKinds = "'organization', 'person', 'group', 'regulator', 'agency', 'vendor', 'media'"
    private static let incidentKinds = "'breach', 'outage', 'ransomware', 'leak', 'other'"
    private static let eventTypes = """
        'intrusion', 'detection', 'determination', 'containment', 'outage_start', 'outage_end', 'restoration', \
        'acknowledgment', 'disclosure', 'apology', 'statement', 'regulator_notification', 'customer_notification', \
        'law_enforcement_notification', 'filing', 'remediation', 'attribution', 'testimony', 'legal_action', 'penalty', 'other'
        """
    private static let audiences = "'public', 'customers', 'regulators', 'investors', 'employees', 'press'"
    private static let slug = "~ '^[a-z0-9][a-z0-9._-]*$'"

    /// Ids compare byte by byte (COLLATE "C"), as in SQLite, so every listing and export comes in
    /// the same order whatever the server's locale. `search` columns hold the words of a row as
    /// the store folds them (case and accents), written by the store with the row.
    static let v1 = """
        CREATE TABLE party (
            id text COLLATE "C" PRIMARY KEY CHECK (id \(slug)),
            name text NOT NULL CHECK (btrim(name) <> ''),
            kind text NOT NULL CHECK (kind IN (\(partyKinds))),
            parent_id text COLLATE "C" REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED CHECK (parent_id <> id),
            affiliation_id text COLLATE "C" REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            role text,
            country text,
            sector text,
            search tsvector NOT NULL DEFAULT ''
        );
        CREATE INDEX party_parent ON party(parent_id);
        CREATE INDEX party_affiliation ON party(affiliation_id);
        CREATE INDEX party_kind ON party(kind);
        CREATE INDEX party_search ON party USING gin (search);

        CREATE TABLE party_alias (
            party_id text COLLATE "C" NOT NULL REFERENCES party(id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            alias text NOT NULL CHECK (btrim(alias) <> ''),
            PRIMARY KEY (party_id, position)
        );

        CREATE TABLE incident (
            id text COLLATE "C" PRIMARY KEY CHECK (id \(slug)),
            title text NOT NULL CHECK (btrim(title) <> ''),
            organization_id text COLLATE "C" NOT NULL REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            summary text,
            records_affected bigint CHECK (records_affected >= 0),
            timezone text,
            -- First instant of the earliest event (seconds since 1970 UTC), its time as written,
            -- the number of events and the kinds in order: what a listing shows without events.
            first_instant bigint,
            first_at text,
            event_count integer NOT NULL DEFAULT 0 CHECK (event_count >= 0),
            kinds text NOT NULL DEFAULT '',
            -- The day the record was closed (EventTime text), or NULL while it is open.
            closed text CHECK (closed ~ '^[0-9]{4}'),
            search tsvector NOT NULL DEFAULT ''
        );
        CREATE INDEX incident_organization_listing ON incident(organization_id, first_instant, id);
        CREATE INDEX incident_first_instant ON incident(first_instant);
        CREATE INDEX incident_search ON incident USING gin (search);

        CREATE TABLE incident_kind (
            incident_id text COLLATE "C" NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            kind text NOT NULL CHECK (kind IN (\(incidentKinds))),
            PRIMARY KEY (incident_id, position),
            UNIQUE (incident_id, kind)
        );
        CREATE INDEX incident_kind_kind ON incident_kind(kind);

        CREATE TABLE incident_jurisdiction (
            incident_id text COLLATE "C" NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            code text NOT NULL CHECK (btrim(code) <> ''),
            PRIMARY KEY (incident_id, position)
        );
        CREATE INDEX incident_jurisdiction_code ON incident_jurisdiction(upper(code));

        CREATE TABLE incident_tag (
            incident_id text COLLATE "C" NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            tag text NOT NULL CHECK (btrim(tag) <> ''),
            PRIMARY KEY (incident_id, position)
        );

        CREATE TABLE event (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            incident_id text COLLATE "C" NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            id text COLLATE "C" CHECK (id \(slug)),
            type text NOT NULL CHECK (type IN (\(eventTypes))),
            at text NOT NULL CHECK (at ~ '^[0-9]{4}'),
            until text CHECK (until ~ '^[0-9]{4}'),
            -- First instant `at` covers (seconds since 1970 UTC), in the incident's zone.
            first_instant bigint NOT NULL,
            party_id text COLLATE "C" REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            summary text,
            quote text,
            channel text,
            audience text CHECK (audience IN (\(audiences))),
            language text,
            search tsvector NOT NULL DEFAULT '',
            UNIQUE (incident_id, position)
        );
        CREATE UNIQUE INDEX event_incident_event_id ON event(incident_id, id) WHERE id IS NOT NULL;
        CREATE INDEX event_party ON event(party_id);
        CREATE INDEX event_id ON event(id) WHERE id IS NOT NULL;
        CREATE INDEX event_search ON event USING gin (search);

        CREATE TABLE event_source (
            incident_id text COLLATE "C" NOT NULL,
            event_position integer NOT NULL,
            position integer NOT NULL CHECK (position >= 0),
            url text NOT NULL CHECK (btrim(url) <> ''),
            title text,
            publisher text,
            published text,
            retrieved text,
            PRIMARY KEY (incident_id, event_position, position),
            FOREIGN KEY (incident_id, event_position) REFERENCES event(incident_id, position) ON DELETE CASCADE
        );

        -- The change log: one row per change, one per record it touched with the record's
        -- lapse/1 JSON before and after (NULL: it did not exist). An import keeps no copy of what
        -- it wrote (after_follows): that state is the record's state before its next change, or
        -- the record as stored.
        CREATE TABLE change_log (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at text NOT NULL CHECK (at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'),
            author text NOT NULL,
            command text NOT NULL
        );
        CREATE INDEX change_log_at ON change_log(at);
        CREATE TABLE change_record (
            change_id bigint NOT NULL REFERENCES change_log(id) ON DELETE CASCADE,
            position integer NOT NULL CHECK (position >= 0),
            kind text NOT NULL CHECK (kind IN ('incident', 'party')),
            record_id text COLLATE "C" NOT NULL,
            before text,
            after text,
            after_follows boolean NOT NULL DEFAULT false CHECK (NOT after_follows OR after IS NULL),
            PRIMARY KEY (change_id, position)
        );
        CREATE INDEX change_record_by_record ON change_record(record_id, kind, change_id);

        CREATE TABLE api_token (
            name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
            role text NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
            secret_sha256 text NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
            created_at text NOT NULL CHECK (created_at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T')
        );
        """
}
