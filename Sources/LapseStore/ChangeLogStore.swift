import Foundation
import GRDB
import LapseCore

/// Records one change inside the transaction of the write it describes: the `change_log` row
/// on the first record, then one `change_record` row per record touched.
final class ChangeRecorder {
    let db: Database
    let context: ChangeContext
    private(set) var changeID: Int64?
    private(set) var at = ""
    private var position = 0
    private var insertRecord: Statement?
    private let encoding = ChangeLogEncoding()

    init(db: Database, context: ChangeContext) {
        self.db = db
        self.context = context
    }

    /// The change's id, creating its row on first use.
    @discardableResult
    func begin() throws -> Int64 {
        if let changeID { return changeID }
        at = ChangeRecorder.now()
        try db.execute(sql: "INSERT INTO change_log (at, author, command) VALUES (?, ?, ?)",
                       arguments: [at, context.author, context.command])
        changeID = db.lastInsertedRowID
        return changeID!
    }

    /// Records one record's state before and after (nil: absent).
    func record(_ key: RecordKey, before: LapseRecord?, after: LapseRecord?) throws {
        try record(key, beforeJSON: try before.map(json), afterJSON: try after.map(json))
    }

    /// `afterFollows`: the state after is not kept, because it is the record's state before its
    /// next change or, when none follows, as stored (imports, which write many records).
    func record(_ key: RecordKey, beforeJSON: String?, afterJSON: String?, afterFollows: Bool = false) throws {
        let id = try begin()
        if insertRecord == nil {
            insertRecord = try db.makeStatement(sql: "INSERT INTO change_record (change_id, position, kind, record_id, before, after, after_follows) VALUES (?, ?, ?, ?, ?, ?, ?)")
        }
        try insertRecord!.execute(arguments: [id, position, key.kind.rawValue, key.id, beforeJSON, afterFollows ? nil : afterJSON, afterFollows])
        position += 1
    }

    /// A record as the log keeps it: the incident's or the party's lapse/1 JSON, keys sorted.
    func json(_ record: LapseRecord) throws -> String {
        try encoding.json(record)
    }

    static func now() -> String {
        ChangeLogEncoding.now()
    }
}

extension ImportSession {
    /// Appends changes of another database's log (a document exported with `--history`), oldest
    /// first, keeping their times, authors, commands and states; they get new ids in this log.
    public func restoreHistory(_ changes: [Change]) throws {
        try writePendingIncidents()
        let recorder = ChangeRecorder(db: db, context: ChangeContext(author: "", command: ""))
        for change in changes.sorted(by: { $0.id < $1.id }) {
            try db.execute(sql: "INSERT INTO change_log (at, author, command) VALUES (?, ?, ?)", arguments: [change.at, change.author, change.command])
            let id = db.lastInsertedRowID
            for (position, record) in change.records.enumerated() {
                try db.execute(sql: "INSERT INTO change_record (change_id, position, kind, record_id, before, after) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, position, record.key.kind.rawValue, record.key.id,
                                           try record.before.map(recorder.json), try record.after.map(recorder.json)])
            }
        }
    }
}

extension LapseDatabase: RecordWriting, ChangeReading {
    // MARK: Writing whole records

    public func write(_ states: [RecordState], as context: ChangeContext) throws -> Change {
        try Self.mappingErrors {
            try writeTransaction { db in try Self.write(states, db: db, context: context) }
        }
    }

    public func write(_ states: [RecordState], as context: ChangeContext, refusingChangesAfter change: Int) throws -> Change {
        try Self.mappingErrors {
            try writeTransaction { db in
                if let later = try Self.firstChange(db, after: change, touching: states.map(\.key)) {
                    throw RevertConflict(change: change, later: later)
                }
                return try Self.write(states, db: db, context: context)
            }
        }
    }

    static func write(_ states: [RecordState], db: Database, context: ChangeContext) throws -> Change {
        var seen = Set<RecordKey>()
        for state in states where !seen.insert(state.key).inserted {
            throw DataProblems(problems: [DataProblem(path: "", message: "\(state.key) is given twice in one change; expected each record once")])
        }
        var befores: [RecordKey: LapseRecord] = [:]
        for state in states {
            if let before = try record(db, state.key) { befores[state.key] = before }
        }
        let session = ImportSession(db: db)
        // Incidents go before the parties they may name; parties are deleted last, once nothing
        // written here refers to them any more.
        for state in states where state.state == nil && state.key.kind == .incident && befores[state.key] != nil {
            try db.execute(sql: "DELETE FROM incident WHERE id = ?", arguments: [state.key.id])
        }
        for state in states {
            if case .party(let party)? = state.state { try session.replace(party, at: RecordLocation(path: "party \(party.id)")) }
        }
        for state in states {
            if case .incident(let incident)? = state.state {
                try session.add(incident, at: RecordLocation(path: "incident \(incident.id)"))
            }
        }
        var problems: [DataProblem] = []
        for state in states where state.state == nil && state.key.kind == .party && befores[state.key] != nil {
            let references = try partyReferences(db, state.key.id)
            if references.isEmpty {
                try db.execute(sql: "DELETE FROM party WHERE id = ?", arguments: [state.key.id])
            } else {
                let shown = references.prefix(10).joined(separator: ", ") + (references.count > 10 ? " and \(references.count - 10) more" : "")
                problems.append(DataProblem(path: "party \(state.key.id)", message: "the party is still referenced by \(shown); expected no references (edit or delete them first)"))
            }
        }
        if !problems.isEmpty { throw DataProblems(problems: problems) }
        try session.finish()
        let recorder = ChangeRecorder(db: db, context: context)
        try recorder.begin()
        var records: [ChangedRecord] = []
        for state in states {
            let before = befores[state.key]
            let after = try record(db, state.key)
            guard before != nil || after != nil else { continue }
            try recorder.record(state.key, before: before, after: after)
            records.append(ChangedRecord(key: state.key, before: before, after: after))
        }
        return Change(id: Int(recorder.changeID!), at: recorder.at, author: context.author, command: context.command, records: records)
    }

    /// What still refers to a party: incidents it is the organization of, events it is the
    /// party of, parties it is the parent or affiliation of.
    static func partyReferences(_ db: Database, _ id: String) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT 'incident ' || id || ' (organization)' FROM incident WHERE organization_id = ?1
            UNION ALL SELECT 'event ' || coalesce(e.id, e.incident_id || '.e' || (
                SELECT count(*) FROM event p WHERE p.incident_id = e.incident_id AND p.position <= e.position)) || ' (party)'
                FROM event e WHERE e.party_id = ?1
            UNION ALL SELECT 'party ' || id || ' (parent)' FROM party WHERE parent_id = ?1
            UNION ALL SELECT 'party ' || id || ' (affiliation)' FROM party WHERE affiliation_id = ?1
            """, arguments: [id])
    }

    /// A record as stored, or nil.
    static func record(_ db: Database, _ key: RecordKey) throws -> LapseRecord? {
        switch key.kind {
        case .incident: try fetchIncidents(db, ids: [key.id]).first.map(LapseRecord.incident)
        case .party: try fetchParty(db, id: key.id).map(LapseRecord.party)
        }
    }

    /// One party with its aliases (reading only its own aliases).
    static func fetchParty(_ db: Database, id: String) throws -> Party? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM party WHERE id = ?", arguments: [id]) else { return nil }
        let aliases = try String.fetchAll(db, sql: "SELECT alias FROM party_alias WHERE party_id = ? ORDER BY position", arguments: [id])
        return Party(id: row["id"], name: row["name"], kind: try PartyKind.parse(row["kind"]), aliases: aliases,
                     parent: row["parent_id"], affiliation: row["affiliation_id"], role: row["role"],
                     country: row["country"], sector: row["sector"])
    }

    public func pruneChanges(before time: String, as context: ChangeContext) throws -> Int {
        try Self.mappingErrors {
            try writeTransaction { db in
                try db.execute(sql: "DELETE FROM change_log WHERE at < ?", arguments: [time])
                let count = db.changesCount
                try ChangeRecorder(db: db, context: context).begin()
                return count
            }
        }
    }

    // MARK: Reading the log

    public func changes(selectedBy filter: ChangeFilter, limit: Int?) throws -> [Change] {
        try Self.mappingErrors {
            try writer.read { db in
                let ids = try Int.fetchAll(db, sql: """
                    SELECT c.id FROM change_log c
                    WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM change_record r WHERE r.change_id = c.id AND r.record_id = ?1 AND (?2 IS NULL OR r.kind = ?2)))
                      AND (?3 IS NULL OR c.author = ?3)
                      AND (?4 IS NULL OR c.at >= ?4)
                      AND (?5 IS NULL OR c.at < ?5)
                    ORDER BY c.id DESC LIMIT ?6
                    """, arguments: [filter.recordID, filter.kind?.rawValue, filter.author, filter.since, filter.before, limit ?? -1])
                // A record's history carries only that record's part of each change: an import's
                // change holds every record it wrote, and decoding all of them for one incident's
                // page cost a minute at 100,000 incidents.
                let only = filter.recordID.map { (id: $0, kind: filter.kind) }
                return try ids.compactMap { try Self.change(db, id: $0, onlyRecord: only) }
            }
        }
    }

    public func change(withID id: Int) throws -> Change? {
        try Self.mappingErrors { try writer.read { db in try Self.change(db, id: id) } }
    }

    public func firstChange(after id: Int, touching keys: [RecordKey]) throws -> Change? {
        try Self.mappingErrors { try writer.read { db in try Self.firstChange(db, after: id, touching: keys) } }
    }

    static func firstChange(_ db: Database, after id: Int, touching keys: [RecordKey]) throws -> Change? {
        var first: Int?
        for key in keys {
            if let later = try Int.fetchOne(db, sql: "SELECT min(change_id) FROM change_record WHERE record_id = ? AND kind = ? AND change_id > ?",
                                            arguments: [key.id, key.kind.rawValue, id]) {
                first = min(first ?? later, later)
            }
        }
        return try first.flatMap { try change(db, id: $0) }
    }

    static func change(_ db: Database, id: Int, onlyRecord only: (id: String, kind: RecordKind?)? = nil) throws -> Change? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM change_log WHERE id = ?", arguments: [id]) else { return nil }
        let decoder = JSONDecoder()
        let rows = if let only {
            try Row.fetchAll(db, sql: "SELECT * FROM change_record WHERE change_id = ? AND record_id = ? AND (?3 IS NULL OR kind = ?3) ORDER BY position",
                             arguments: [id, only.id, only.kind?.rawValue])
        } else {
            try Row.fetchAll(db, sql: "SELECT * FROM change_record WHERE change_id = ? ORDER BY position", arguments: [id])
        }
        let records = try rows.map { r in
            let kind = RecordKind(rawValue: r["kind"]) ?? .incident
            func decode(_ text: String?) throws -> LapseRecord? {
                guard let text else { return nil }
                let data = Data(text.utf8)
                return switch kind {
                case .incident: .incident(try decoder.decode(Incident.self, from: data))
                case .party: .party(try decoder.decode(Party.self, from: data))
                }
            }
            let key = RecordKey(kind, r["record_id"])
            let after: LapseRecord?
            if r["after_follows"] == true {
                // The state before the record's next change, or the record as stored now.
                if let next = try Row.fetchOne(db, sql: """
                    SELECT before, after_follows FROM change_record WHERE record_id = ? AND kind = ? AND change_id > ? ORDER BY change_id LIMIT 1
                    """, arguments: [key.id, kind.rawValue, id]) {
                    after = try decode(next["before"])
                } else {
                    after = try record(db, key)
                }
            } else {
                after = try decode(r["after"])
            }
            return ChangedRecord(key: key, before: try decode(r["before"]), after: after)
        }
        return Change(id: id, at: row["at"], author: row["author"], command: row["command"], records: records)
    }

    // MARK: Events by id

    public func incidentIDs(havingEventID id: String) throws -> [String] {
        try Self.mappingErrors {
            try writer.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT incident_id FROM event WHERE id = ? ORDER BY incident_id", arguments: [id])
            }
        }
    }
}
