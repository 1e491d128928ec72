import Foundation
import LapseCore

/// Records one change inside the transaction of the write it describes: the `change_log` row
/// on first use, then its records, gathered and inserted together.
final class ChangeRecorder {
    let session: Session
    let context: ChangeContext
    let at: String
    private(set) var changeID: Int?
    private var rows = Columns(7)
    private var position = 0
    private let encoding = ChangeLogEncoding()

    init(session: Session, context: ChangeContext, at: String = ChangeRecorder.now()) {
        self.session = session
        self.context = context
        self.at = at
    }

    @discardableResult
    func begin() throws -> Int {
        if let changeID { return changeID }
        let id = try session.one("INSERT INTO change_log (at, author, command) VALUES ($1, $2, $3) RETURNING id",
                                 [.text(at), .text(context.author), .text(context.command)])!.int(0)!
        changeID = id
        return id
    }

    /// `afterFollows`: the state after is not kept, because it is the record's state before its
    /// next change or, when none follows, as stored (imports, which write many records).
    func record(_ key: RecordKey, before: LapseRecord?, after: LapseRecord?, afterFollows: Bool = false) throws {
        let id = try begin()
        rows.add([.int(id), .int(position), .text(key.kind.rawValue), .text(key.id), .text(try before.map(json)),
                  .text(afterFollows ? nil : try after.map(json)), .bool(afterFollows)])
        position += 1
        if position % 2000 == 0 { try flush() }
    }

    func flush() throws {
        try rows.insert(into: "change_record", "change_id, position, kind, record_id, before, after, after_follows",
                        types: ["bigint", "integer", "text", "text", "text", "text", "boolean"], session)
        rows = Columns(7)
    }

    /// A record as the log keeps it: the incident's or the party's lapse/1 JSON, keys sorted.
    func json(_ record: LapseRecord) throws -> String {
        try encoding.json(record)
    }

    static func now() -> String {
        ChangeLogEncoding.now()
    }
}

extension PostgresStore: ChangeReading {
    public func changes(selectedBy filter: ChangeFilter, limit: Int?) throws -> [Change] {
        try read { session in
            let ids = try session.rows("""
                SELECT c.id FROM change_log c
                WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM change_record r WHERE r.change_id = c.id AND r.record_id = $1 AND ($2::text IS NULL OR r.kind = $2)))
                  AND ($3::text IS NULL OR c.author = $3)
                  AND ($4::text IS NULL OR c.at >= $4)
                  AND ($5::text IS NULL OR c.at < $5)
                ORDER BY c.id DESC LIMIT $6::bigint
                """, [.text(filter.recordID), .text(filter.kind?.rawValue), .text(filter.author), .text(filter.since), .text(filter.before),
                      .int(limit)]).compactMap { try $0.int(0) }
            // A record's history carries only that record's part of each change.
            let only = filter.recordID.map { (id: $0, kind: filter.kind) }
            return try ids.compactMap { try Self.change(session, id: $0, onlyRecord: only) }
        }
    }

    public func change(withID id: Int) throws -> Change? {
        try read { session in try Self.change(session, id: id) }
    }

    public func firstChange(after id: Int, touching keys: [RecordKey]) throws -> Change? {
        try read { session in try Self.firstChange(session, after: id, touching: keys) }
    }

    static func firstChange(_ session: Session, after id: Int, touching keys: [RecordKey]) throws -> Change? {
        guard !keys.isEmpty else { return nil }
        let first = try session.one("""
            SELECT min(r.change_id) FROM change_record r, unnest($1::text[], $2::text[]) AS k(id, kind)
            WHERE r.record_id = k.id AND r.kind = k.kind AND r.change_id > $3::bigint
            """, [.texts(keys.map(\.id)), .texts(keys.map(\.kind.rawValue)), .int(id)])?.int(0)
        return try first.flatMap { try change(session, id: $0) }
    }

    static func change(_ session: Session, id: Int, onlyRecord only: (id: String, kind: RecordKind?)? = nil) throws -> Change? {
        guard let row = try session.one("SELECT at, author, command FROM change_log WHERE id = $1::bigint", [.int(id)]) else { return nil }
        let decoder = JSONDecoder()
        let rows = try session.rows("""
            SELECT kind, record_id, before, after, after_follows FROM change_record
            WHERE change_id = $1::bigint AND ($2::text IS NULL OR record_id = $2) AND ($3::text IS NULL OR kind = $3) ORDER BY position
            """, [.int(id), .text(only?.id), .text(only?.kind?.rawValue)])
        let records = try rows.map { r in
            let kind = RecordKind(rawValue: try r.string(0)) ?? .incident
            func decode(_ text: String?) throws -> LapseRecord? {
                guard let text else { return nil }
                let data = Data(text.utf8)
                return switch kind {
                case .incident: .incident(try decoder.decode(Incident.self, from: data))
                case .party: .party(try decoder.decode(Party.self, from: data))
                }
            }
            let key = RecordKey(kind, try r.string(1))
            let after: LapseRecord?
            if try r.bool(4) {
                // The state before the record's next change, or the record as stored now.
                if let next = try session.one("""
                    SELECT before FROM change_record WHERE record_id = $1 AND kind = $2 AND change_id > $3::bigint ORDER BY change_id LIMIT 1
                    """, [.text(key.id), .text(kind.rawValue), .int(id)]) {
                    after = try decode(try next.text(0))
                } else {
                    after = try record(session, key)
                }
            } else {
                after = try decode(try r.text(3))
            }
            return ChangedRecord(key: key, before: try decode(try r.text(2)), after: after)
        }
        return Change(id: id, at: try row.string(0), author: try row.string(1), command: try row.string(2), records: records)
    }

    /// A record as stored, or nil.
    static func record(_ session: Session, _ key: RecordKey) throws -> LapseRecord? {
        switch key.kind {
        case .incident: try fetchIncidents(session, ids: [key.id]).first.map(LapseRecord.incident)
        case .party: try fetchParty(session, id: key.id).map(LapseRecord.party)
        }
    }
}
