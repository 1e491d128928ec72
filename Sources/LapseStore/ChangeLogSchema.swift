import GRDB

extension Schema {
    /// v5: the change log. Never edited once landed: add a new migration.
    static func registerChangeLog(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: the change log (who changed which record, from what to what)") { db in
            try db.execute(sql: v5)
        }
    }

    /// One row per change; one row per record it touched with the record's lapse/1 JSON before
    /// and after (NULL: it did not exist). An import keeps no copy of what it wrote
    /// (`after_follows` = 1): that state is the record's state before its next change, or the
    /// record as stored when no change followed, since every write is recorded. Records are found by kind and id for `lapse history`
    /// and for the check that no later change touched a record a revert would restore.
    private static let v5 = """
        CREATE TABLE change_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'),
            author TEXT NOT NULL,
            command TEXT NOT NULL
        );
        CREATE INDEX change_log_at ON change_log(at);
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
        CREATE INDEX change_record_by_record ON change_record(record_id, kind, change_id);
        PRAGMA user_version = 5;
        """
}
