import GRDB

/// The store's migrations. A migration that has landed is never edited: add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(firstMigration) { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: each incident's first event and event count, for listings without reading events") { db in
            try db.execute(sql: v2)
        }
        // Runs with foreign keys off (GRDB's default), and GRDB checks them all before committing.
        migrator.registerMigration("v3: cheaper event and incident_kind checks and indexes, for faster imports; covered listings") { db in
            try db.execute(sql: v3)
        }
        // Every later migration sets `user_version` to its own number, so that an older Lapse can
        // tell a newer database even without reading `grdb_migrations`.
        migrator.registerMigration("v4: the file says it is a Lapse database (application_id) and its schema version (user_version)") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID); PRAGMA user_version = 4")
        }
        registerChangeLog(&migrator)
        registerTokens(&migrator)
        migrator.registerMigration("v7: the day an incident's record was closed") { db in
            try db.execute(sql: v7)
        }
        return migrator
    }

    /// `PRAGMA application_id` of a Lapse database: "LAPS" in ASCII.
    static let applicationID: Int32 = 0x4C41_5053

    /// The highest `user_version` this build knows: the number of its last migration.
    static let version = 7

    /// The first migration, which every Lapse database has applied, with or without an application id.
    static let firstMigration = "v1: parties, incidents, events, sources, full-text search"

    // The vocabularies as these migrations wrote them: literals, never the Swift enums, so a case
    // added to an enum later cannot change what an old migration creates. A new value is a new
    // migration that rebuilds the check.
    private static let partyKindsV1 = ["organization", "person", "group", "regulator", "agency", "vendor", "media"]
    private static let incidentKindsV1 = ["breach", "outage", "ransomware", "leak", "other"]
    private static let eventTypesV1 = [
        "intrusion", "detection", "determination", "containment", "outage_start", "outage_end", "restoration",
        "acknowledgment", "disclosure", "apology", "statement", "regulator_notification", "customer_notification",
        "law_enforcement_notification", "filing", "remediation", "attribution", "testimony", "legal_action", "penalty", "other",
    ]
    private static let audiencesV1 = ["public", "customers", "regulators", "investors", "employees", "press"]

    private static func list(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// A vocabulary check as a CASE: SQLite builds a temporary index for an IN list of more than
    /// two values every time the INSERT runs, which was a third of the cost of writing an event.
    private static func member(_ column: String, _ values: [String]) -> String {
        "CASE \(column) " + values.map { "WHEN '\($0)' THEN 1" }.joined(separator: " ") + " ELSE 0 END"
    }

    /// A slug: `[a-z0-9][a-z0-9._-]*`.
    private static func slug(_ column: String) -> String {
        "\(column) GLOB '[a-z0-9]*' AND \(column) NOT GLOB '*[^a-z0-9._-]*'"
    }

    /// An incident marked closed: its timeline holds every notice that was given (EventTime text
    /// as written, NULL while open).
    private static let v7 = """
        ALTER TABLE incident ADD COLUMN closed TEXT CHECK (closed IS NULL OR closed GLOB '[0-9][0-9][0-9][0-9]*');
        PRAGMA user_version = 7;
        """

    /// Lists (`lapse incidents`, company reports) read these instead of each incident's events.
    private static let v2 = """
        ALTER TABLE incident ADD COLUMN first_at TEXT;
        ALTER TABLE incident ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0 CHECK (event_count >= 0);
        UPDATE incident SET
            event_count = (SELECT count(*) FROM event e WHERE e.incident_id = incident.id),
            first_at = (SELECT at FROM event e WHERE e.incident_id = incident.id ORDER BY first_instant, position LIMIT 1);
        """

    /// Rebuilds `event` and `incident_kind` (SQLite cannot alter a CHECK) with the same columns,
    /// rows and rowids, so the full-text index stays valid: vocabulary checks as CASEs; the
    /// uniqueness of event ids within an incident as a partial index over events that have an id
    /// (most have none); no index on (type, incident_id), which no query used. Incidents keep
    /// their kinds as text for listings, with an index that covers a listing by organization; the
    /// store counts its writes; search can look up the terms of the event and incident indexes.
    private static let v3 = """
        CREATE TABLE event_v3 (
            seq INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            id TEXT CHECK (id IS NULL OR (\(slug("id")))),
            type TEXT NOT NULL CHECK (\(member("type", eventTypesV1))),
            at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]*'),
            until TEXT CHECK (until IS NULL OR until GLOB '[0-9][0-9][0-9][0-9]*'),
            -- First instant `at` covers (seconds since 1970 UTC), in the incident's zone.
            first_instant INTEGER NOT NULL,
            party_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            summary TEXT,
            quote TEXT,
            channel TEXT,
            audience TEXT CHECK (audience IS NULL OR \(member("audience", audiencesV1))),
            language TEXT,
            UNIQUE (incident_id, position)
        );
        INSERT INTO event_v3 (seq, incident_id, position, id, type, at, until, first_instant, party_id, summary, quote, channel, audience, language)
            SELECT seq, incident_id, position, id, type, at, until, first_instant, party_id, summary, quote, channel, audience, language FROM event;
        DROP TABLE event;
        ALTER TABLE event_v3 RENAME TO event;
        CREATE UNIQUE INDEX event_incident_event_id ON event(incident_id, id) WHERE id IS NOT NULL;
        CREATE INDEX event_party ON event(party_id);
        CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
            INSERT INTO event_fts(rowid, summary, quote) VALUES (new.seq, new.summary, new.quote);
        END;
        CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, summary, quote) VALUES ('delete', old.seq, old.summary, old.quote);
        END;
        CREATE TRIGGER event_fts_update AFTER UPDATE OF summary, quote ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, summary, quote) VALUES ('delete', old.seq, old.summary, old.quote);
            INSERT INTO event_fts(rowid, summary, quote) VALUES (new.seq, new.summary, new.quote);
        END;

        CREATE TABLE incident_kind_v3 (
            incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            kind TEXT NOT NULL CHECK (\(member("kind", incidentKindsV1))),
            PRIMARY KEY (incident_id, position),
            UNIQUE (incident_id, kind)
        ) WITHOUT ROWID;
        INSERT INTO incident_kind_v3 (incident_id, position, kind) SELECT incident_id, position, kind FROM incident_kind;
        DROP TABLE incident_kind;
        ALTER TABLE incident_kind_v3 RENAME TO incident_kind;
        CREATE INDEX incident_kind_kind ON incident_kind(kind);

        -- Listings by company read this index alone: the incident's kinds (comma-separated, in
        -- order) live in its row, and the index holds every column a listing shows, so a company's
        -- incidents are read from a few neighbouring pages instead of thousands of scattered ones.
        ALTER TABLE incident ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
        UPDATE incident SET kinds = coalesce((SELECT group_concat(kind, ',') FROM (
            SELECT kind FROM incident_kind k WHERE k.incident_id = incident.id ORDER BY position)), '');
        DROP INDEX incident_organization;
        CREATE INDEX incident_organization_listing ON incident(organization_id, first_instant, id, title, records_affected, first_at, event_count, kinds);

        -- Every write transaction adds one: reads on several connections (a search ranking two
        -- parts of the event index at once) compare it to know they saw the same data.
        CREATE TABLE store_generation (n INTEGER NOT NULL);
        INSERT INTO store_generation (n) VALUES (0);

        -- The terms of the two large full-text indexes, for search to tell whether a word's prefix
        -- stands for that word alone (read-only views of the indexes; they store nothing).
        CREATE VIRTUAL TABLE event_fts_terms USING fts5vocab(event_fts, 'instance');
        CREATE VIRTUAL TABLE incident_fts_terms USING fts5vocab(incident_fts, 'instance');
        """

    private static let v1 = """
        CREATE TABLE party (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE CHECK (\(slug("id"))),
            name TEXT NOT NULL CHECK (trim(name) <> ''),
            kind TEXT NOT NULL CHECK (kind IN (\(list(partyKindsV1)))),
            parent_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED CHECK (parent_id <> id),
            affiliation_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            role TEXT,
            country TEXT,
            sector TEXT
        );
        CREATE INDEX party_parent ON party(parent_id);
        CREATE INDEX party_affiliation ON party(affiliation_id);
        CREATE INDEX party_kind ON party(kind);

        CREATE TABLE party_alias (
            party_id TEXT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            alias TEXT NOT NULL CHECK (trim(alias) <> ''),
            PRIMARY KEY (party_id, position)
        ) WITHOUT ROWID;

        -- Lower-cased name, each word of the name, each alias and each word of it:
        -- what `--company` matches. Derived in Swift (Unicode case folding), kept in step on every write.
        CREATE TABLE party_term (
            term TEXT NOT NULL,
            party_id TEXT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
            PRIMARY KEY (term, party_id)
        ) WITHOUT ROWID;
        CREATE INDEX party_term_party ON party_term(party_id);

        CREATE TABLE incident (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE CHECK (\(slug("id"))),
            title TEXT NOT NULL CHECK (trim(title) <> ''),
            organization_id TEXT NOT NULL REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            summary TEXT,
            records_affected INTEGER CHECK (records_affected IS NULL OR (typeof(records_affected) = 'integer' AND records_affected >= 0)),
            timezone TEXT,
            -- First instant of the earliest event (seconds since 1970 UTC), for --since/--until; NULL without events.
            first_instant INTEGER
        );
        CREATE INDEX incident_organization ON incident(organization_id);
        CREATE INDEX incident_first_instant ON incident(first_instant);

        CREATE TABLE incident_kind (
            incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            kind TEXT NOT NULL CHECK (kind IN (\(list(incidentKindsV1)))),
            PRIMARY KEY (incident_id, position),
            UNIQUE (incident_id, kind)
        ) WITHOUT ROWID;
        CREATE INDEX incident_kind_kind ON incident_kind(kind);

        CREATE TABLE incident_jurisdiction (
            incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            code TEXT NOT NULL CHECK (trim(code) <> ''),
            PRIMARY KEY (incident_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX incident_jurisdiction_code ON incident_jurisdiction(code);

        CREATE TABLE incident_tag (
            incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            tag TEXT NOT NULL CHECK (trim(tag) <> ''),
            PRIMARY KEY (incident_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX incident_tag_tag ON incident_tag(tag);

        CREATE TABLE event (
            seq INTEGER PRIMARY KEY,
            incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            id TEXT CHECK (id IS NULL OR (\(slug("id")))),
            type TEXT NOT NULL CHECK (type IN (\(list(eventTypesV1)))),
            at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]*'),
            until TEXT CHECK (until IS NULL OR until GLOB '[0-9][0-9][0-9][0-9]*'),
            -- First instant `at` covers (seconds since 1970 UTC), in the incident's zone.
            first_instant INTEGER NOT NULL,
            party_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
            summary TEXT,
            quote TEXT,
            channel TEXT,
            audience TEXT CHECK (audience IS NULL OR audience IN (\(list(audiencesV1)))),
            language TEXT,
            UNIQUE (incident_id, position),
            UNIQUE (incident_id, id)
        );
        CREATE INDEX event_type ON event(type, incident_id);
        CREATE INDEX event_party ON event(party_id);

        CREATE TABLE event_source (
            event_seq INTEGER NOT NULL REFERENCES event(seq) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            url TEXT NOT NULL CHECK (trim(url) <> ''),
            title TEXT,
            publisher TEXT,
            published TEXT,
            retrieved TEXT,
            PRIMARY KEY (event_seq, position)
        ) WITHOUT ROWID;

        -- Full-text search. Incidents and events index their own rows (external content,
        -- kept in step by triggers); parties index name and aliases together.
        CREATE VIRTUAL TABLE incident_fts USING fts5(title, summary, content='incident', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER incident_fts_insert AFTER INSERT ON incident BEGIN
            INSERT INTO incident_fts(rowid, title, summary) VALUES (new.seq, new.title, new.summary);
        END;
        CREATE TRIGGER incident_fts_delete AFTER DELETE ON incident BEGIN
            INSERT INTO incident_fts(incident_fts, rowid, title, summary) VALUES ('delete', old.seq, old.title, old.summary);
        END;
        CREATE TRIGGER incident_fts_update AFTER UPDATE OF title, summary ON incident BEGIN
            INSERT INTO incident_fts(incident_fts, rowid, title, summary) VALUES ('delete', old.seq, old.title, old.summary);
            INSERT INTO incident_fts(rowid, title, summary) VALUES (new.seq, new.title, new.summary);
        END;

        CREATE VIRTUAL TABLE event_fts USING fts5(summary, quote, content='event', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
            INSERT INTO event_fts(rowid, summary, quote) VALUES (new.seq, new.summary, new.quote);
        END;
        CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, summary, quote) VALUES ('delete', old.seq, old.summary, old.quote);
        END;
        CREATE TRIGGER event_fts_update AFTER UPDATE OF summary, quote ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, summary, quote) VALUES ('delete', old.seq, old.summary, old.quote);
            INSERT INTO event_fts(rowid, summary, quote) VALUES (new.seq, new.summary, new.quote);
        END;

        CREATE VIRTUAL TABLE party_fts USING fts5(name, aliases, tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER party_fts_insert AFTER INSERT ON party BEGIN
            INSERT INTO party_fts(rowid, name, aliases) VALUES (new.seq, new.name, '');
        END;
        CREATE TRIGGER party_fts_delete AFTER DELETE ON party BEGIN
            DELETE FROM party_fts WHERE rowid = old.seq;
        END;
        CREATE TRIGGER party_fts_update AFTER UPDATE OF name ON party BEGIN
            UPDATE party_fts SET name = new.name WHERE rowid = new.seq;
        END;
        CREATE TRIGGER party_alias_fts_insert AFTER INSERT ON party_alias BEGIN
            UPDATE party_fts SET aliases = (SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = new.party_id)
            WHERE rowid = (SELECT seq FROM party WHERE id = new.party_id);
        END;
        CREATE TRIGGER party_alias_fts_delete AFTER DELETE ON party_alias BEGIN
            UPDATE party_fts SET aliases = coalesce((SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = old.party_id), '')
            WHERE rowid = (SELECT seq FROM party WHERE id = old.party_id);
        END;
        """
}
