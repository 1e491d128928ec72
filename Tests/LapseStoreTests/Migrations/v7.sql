-- v7: the day an incident's record was closed
PRAGMA application_id = 1279348819;
PRAGMA user_version = 7;

-- index change_log_at
CREATE INDEX change_log_at ON change_log(at);

-- index change_record_by_record
CREATE INDEX change_record_by_record ON change_record(record_id, kind, change_id);

-- index event_incident_event_id
CREATE UNIQUE INDEX event_incident_event_id ON event(incident_id, id) WHERE id IS NOT NULL;

-- index event_party
CREATE INDEX event_party ON event(party_id);

-- index incident_first_instant
CREATE INDEX incident_first_instant ON incident(first_instant);

-- index incident_jurisdiction_code
CREATE INDEX incident_jurisdiction_code ON incident_jurisdiction(code);

-- index incident_kind_kind
CREATE INDEX incident_kind_kind ON incident_kind(kind);

-- index incident_organization_listing
CREATE INDEX incident_organization_listing ON incident(organization_id, first_instant, id, title, records_affected, first_at, event_count, kinds);

-- index incident_tag_tag
CREATE INDEX incident_tag_tag ON incident_tag(tag);

-- index party_affiliation
CREATE INDEX party_affiliation ON party(affiliation_id);

-- index party_kind
CREATE INDEX party_kind ON party(kind);

-- index party_parent
CREATE INDEX party_parent ON party(parent_id);

-- index party_term_party
CREATE INDEX party_term_party ON party_term(party_id);

-- table api_token
CREATE TABLE api_token (
    name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
    secret_sha256 TEXT NOT NULL UNIQUE CHECK (length(secret_sha256) = 64),
    created_at TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*')
) WITHOUT ROWID;

-- table change_log
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'),
    author TEXT NOT NULL,
    command TEXT NOT NULL
);

-- table change_record
CREATE TABLE change_record (
    change_id INTEGER NOT NULL REFERENCES change_log(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('incident', 'party')),
    record_id TEXT NOT NULL,
    before TEXT,
    after TEXT,
    after_follows INTEGER NOT NULL DEFAULT 0 CHECK (after_follows IN (0, 1) AND (after_follows = 0 OR after IS NULL)),
    PRIMARY KEY (change_id, position)
) WITHOUT ROWID;

-- table event
CREATE TABLE "event" (
    seq INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    id TEXT CHECK (id IS NULL OR (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9._-]*')),
    type TEXT NOT NULL CHECK (CASE type WHEN 'intrusion' THEN 1 WHEN 'detection' THEN 1 WHEN 'determination' THEN 1 WHEN 'containment' THEN 1 WHEN 'outage_start' THEN 1 WHEN 'outage_end' THEN 1 WHEN 'restoration' THEN 1 WHEN 'acknowledgment' THEN 1 WHEN 'disclosure' THEN 1 WHEN 'apology' THEN 1 WHEN 'statement' THEN 1 WHEN 'regulator_notification' THEN 1 WHEN 'customer_notification' THEN 1 WHEN 'law_enforcement_notification' THEN 1 WHEN 'filing' THEN 1 WHEN 'remediation' THEN 1 WHEN 'attribution' THEN 1 WHEN 'testimony' THEN 1 WHEN 'legal_action' THEN 1 WHEN 'penalty' THEN 1 WHEN 'other' THEN 1 ELSE 0 END),
    at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]*'),
    until TEXT CHECK (until IS NULL OR until GLOB '[0-9][0-9][0-9][0-9]*'),
    -- First instant `at` covers (seconds since 1970 UTC), in the incident's zone.
    first_instant INTEGER NOT NULL,
    party_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
    summary TEXT,
    quote TEXT,
    channel TEXT,
    audience TEXT CHECK (audience IS NULL OR CASE audience WHEN 'public' THEN 1 WHEN 'customers' THEN 1 WHEN 'regulators' THEN 1 WHEN 'investors' THEN 1 WHEN 'employees' THEN 1 WHEN 'press' THEN 1 ELSE 0 END),
    language TEXT,
    UNIQUE (incident_id, position)
);

-- table event_fts
CREATE VIRTUAL TABLE event_fts USING fts5(summary, quote, content='event', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');

-- table event_fts_config
CREATE TABLE 'event_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table event_fts_data
CREATE TABLE 'event_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table event_fts_docsize
CREATE TABLE 'event_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table event_fts_idx
CREATE TABLE 'event_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table event_fts_terms
CREATE VIRTUAL TABLE event_fts_terms USING fts5vocab(event_fts, 'instance');

-- table event_source
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

-- table grdb_migrations
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

-- table incident
CREATE TABLE incident (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9._-]*'),
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    organization_id TEXT NOT NULL REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
    summary TEXT,
    records_affected INTEGER CHECK (records_affected IS NULL OR (typeof(records_affected) = 'integer' AND records_affected >= 0)),
    timezone TEXT,
    -- First instant of the earliest event (seconds since 1970 UTC), for --since/--until; NULL without events.
    first_instant INTEGER
, first_at TEXT, event_count INTEGER NOT NULL DEFAULT 0 CHECK (event_count >= 0), kinds TEXT NOT NULL DEFAULT '', closed TEXT CHECK (closed IS NULL OR closed GLOB '[0-9][0-9][0-9][0-9]*'));

-- table incident_fts
CREATE VIRTUAL TABLE incident_fts USING fts5(title, summary, content='incident', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');

-- table incident_fts_config
CREATE TABLE 'incident_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table incident_fts_data
CREATE TABLE 'incident_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table incident_fts_docsize
CREATE TABLE 'incident_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table incident_fts_idx
CREATE TABLE 'incident_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table incident_fts_terms
CREATE VIRTUAL TABLE incident_fts_terms USING fts5vocab(incident_fts, 'instance');

-- table incident_jurisdiction
CREATE TABLE incident_jurisdiction (
    incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    code TEXT NOT NULL CHECK (trim(code) <> ''),
    PRIMARY KEY (incident_id, position)
) WITHOUT ROWID;

-- table incident_kind
CREATE TABLE "incident_kind" (
    incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    kind TEXT NOT NULL CHECK (CASE kind WHEN 'breach' THEN 1 WHEN 'outage' THEN 1 WHEN 'ransomware' THEN 1 WHEN 'leak' THEN 1 WHEN 'other' THEN 1 ELSE 0 END),
    PRIMARY KEY (incident_id, position),
    UNIQUE (incident_id, kind)
) WITHOUT ROWID;

-- table incident_tag
CREATE TABLE incident_tag (
    incident_id TEXT NOT NULL REFERENCES incident(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    tag TEXT NOT NULL CHECK (trim(tag) <> ''),
    PRIMARY KEY (incident_id, position)
) WITHOUT ROWID;

-- table party
CREATE TABLE party (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE CHECK (id GLOB '[a-z0-9]*' AND id NOT GLOB '*[^a-z0-9._-]*'),
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('organization', 'person', 'group', 'regulator', 'agency', 'vendor', 'media')),
    parent_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED CHECK (parent_id <> id),
    affiliation_id TEXT REFERENCES party(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT,
    country TEXT,
    sector TEXT
);

-- table party_alias
CREATE TABLE party_alias (
    party_id TEXT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    alias TEXT NOT NULL CHECK (trim(alias) <> ''),
    PRIMARY KEY (party_id, position)
) WITHOUT ROWID;

-- table party_fts
CREATE VIRTUAL TABLE party_fts USING fts5(name, aliases, tokenize='unicode61 remove_diacritics 2');

-- table party_fts_config
CREATE TABLE 'party_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table party_fts_content
CREATE TABLE 'party_fts_content'(id INTEGER PRIMARY KEY, c0, c1);

-- table party_fts_data
CREATE TABLE 'party_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table party_fts_docsize
CREATE TABLE 'party_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table party_fts_idx
CREATE TABLE 'party_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table party_term
CREATE TABLE party_term (
    term TEXT NOT NULL,
    party_id TEXT NOT NULL REFERENCES party(id) ON DELETE CASCADE,
    PRIMARY KEY (term, party_id)
) WITHOUT ROWID;

-- table store_generation
CREATE TABLE store_generation (n INTEGER NOT NULL);

-- trigger event_fts_delete
CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
    INSERT INTO event_fts(event_fts, rowid, summary, quote) VALUES ('delete', old.seq, old.summary, old.quote);
END;

-- trigger event_fts_insert
CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
    INSERT INTO event_fts(rowid, summary, quote) VALUES (new.seq, new.summary, new.quote);
END;

-- trigger event_fts_update
CREATE TRIGGER event_fts_update AFTER UPDATE OF summary, quote ON event BEGIN
    INSERT INTO event_fts(event_fts, rowid, summary, quote) VALUES ('delete', old.seq, old.summary, old.quote);
    INSERT INTO event_fts(rowid, summary, quote) VALUES (new.seq, new.summary, new.quote);
END;

-- trigger incident_fts_delete
CREATE TRIGGER incident_fts_delete AFTER DELETE ON incident BEGIN
    INSERT INTO incident_fts(incident_fts, rowid, title, summary) VALUES ('delete', old.seq, old.title, old.summary);
END;

-- trigger incident_fts_insert
CREATE TRIGGER incident_fts_insert AFTER INSERT ON incident BEGIN
    INSERT INTO incident_fts(rowid, title, summary) VALUES (new.seq, new.title, new.summary);
END;

-- trigger incident_fts_update
CREATE TRIGGER incident_fts_update AFTER UPDATE OF title, summary ON incident BEGIN
    INSERT INTO incident_fts(incident_fts, rowid, title, summary) VALUES ('delete', old.seq, old.title, old.summary);
    INSERT INTO incident_fts(rowid, title, summary) VALUES (new.seq, new.title, new.summary);
END;

-- trigger party_alias_fts_delete
CREATE TRIGGER party_alias_fts_delete AFTER DELETE ON party_alias BEGIN
    UPDATE party_fts SET aliases = coalesce((SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = old.party_id), '')
    WHERE rowid = (SELECT seq FROM party WHERE id = old.party_id);
END;

-- trigger party_alias_fts_insert
CREATE TRIGGER party_alias_fts_insert AFTER INSERT ON party_alias BEGIN
    UPDATE party_fts SET aliases = (SELECT group_concat(alias, ' ') FROM party_alias WHERE party_id = new.party_id)
    WHERE rowid = (SELECT seq FROM party WHERE id = new.party_id);
END;

-- trigger party_fts_delete
CREATE TRIGGER party_fts_delete AFTER DELETE ON party BEGIN
    DELETE FROM party_fts WHERE rowid = old.seq;
END;

-- trigger party_fts_insert
CREATE TRIGGER party_fts_insert AFTER INSERT ON party BEGIN
    INSERT INTO party_fts(rowid, name, aliases) VALUES (new.seq, new.name, '');
END;

-- trigger party_fts_update
CREATE TRIGGER party_fts_update AFTER UPDATE OF name ON party BEGIN
    UPDATE party_fts SET name = new.name WHERE rowid = new.seq;
END;
