import Foundation
import GRDB
import GRDBSQLite
import LapseCore

extension LapseDatabase {
    /// Which incidents `fetchIncidents` reads: a list of ids, or every incident whose id is after
    /// one key and up to another (a batch in key order of an unfiltered export), which SQLite
    /// reads straight along its indexes, in order, without sorting.
    enum IncidentKeys {
        case ids([String])
        case range(after: String, through: String)
    }

    /// How much of each incident `fetchIncidents` reads.
    enum IncidentDetail {
        /// Everything: events with their statements and sources.
        case whole
        /// What measuring uses: events without sources, their summaries and quotes only `withText`.
        case measuring(withText: Bool)
    }

    /// Loads whole incidents in a few set-based reads, in the order of `ids`.
    static func fetchIncidents(_ db: Database, ids: [String]) throws -> [Incident] {
        guard !ids.isEmpty else { return [] }
        return try fetchIncidents(db, .ids(ids), order: ids)
    }

    /// Loads whole incidents (events with their sources): one read per table, the rows decoded
    /// through SQLite's C API by column number. `order` gives the order of the result; ids it
    /// names that are not stored are left out.
    static func fetchIncidents(_ db: Database, _ keys: IncidentKeys, order: [String], _ detail: IncidentDetail = .whole) throws -> [Incident] {
        // How each table's rows are chosen: joined to the list of ids, or by a range of the key.
        let arguments: [String]
        func selecting(_ table: String, _ alias: String, on column: String, join: String = "") -> String {
            switch keys {
            case .ids: "json_each(?1) w JOIN \(table) \(alias) ON \(alias).\(column) = w.value \(join)"
            case .range: "\(table) \(alias) \(join) WHERE \(alias).\(column) > ?1 AND \(alias).\(column) <= ?2"
            }
        }
        switch keys {
        case .ids(let ids): arguments = [jsonArray(ids)]
        case .range(let after, let through): arguments = [after, through]
        }

        var incidents: [Incident] = []
        var slot: [String: Int] = [:]
        slot.reserveCapacity(order.count)
        try RowReader(db, sql: "SELECT i.id, i.title, i.organization_id, i.summary, i.records_affected, i.timezone, i.closed FROM \(selecting("incident", "i", on: "id"))",
                      arguments).forEach { r in
            let id = r.text(0)!
            slot[id] = incidents.count
            incidents.append(Incident(id: id, title: r.text(1)!, organization: r.text(2)!, kinds: [], summary: r.text(3),
                                      recordsAffected: r.int(4), timezone: r.text(5), closed: try r.text(6).map { try EventTime(parsing: $0) }))
        }
        // The rows of each table come ordered by incident: the slot is looked up once per incident.
        func eachByIncident(_ sql: String, _ body: (RowReader, Int) throws -> Void) throws {
            var current: (id: String, slot: Int?)?
            try RowReader(db, sql: sql, arguments).forEach { r in
                if !r.equals(0, current?.id) {
                    let id = r.text(0)!
                    current = (id, slot[id])
                }
                if let i = current!.slot { try body(r, i) }
            }
        }
        try eachByIncident("SELECT k.incident_id, k.kind FROM \(selecting("incident_kind", "k", on: "incident_id")) ORDER BY k.incident_id, k.position") { r, i in
            incidents[i].kinds.append(try IncidentKind.parse(r.text(1)!))
        }
        try eachByIncident("SELECT j.incident_id, j.code FROM \(selecting("incident_jurisdiction", "j", on: "incident_id")) ORDER BY j.incident_id, j.position") { r, i in
            incidents[i].jurisdictions.append(r.text(1)!)
        }
        try eachByIncident("SELECT t.incident_id, t.tag FROM \(selecting("incident_tag", "t", on: "incident_id")) ORDER BY t.incident_id, t.position") { r, i in
            incidents[i].tags.append(r.text(1)!)
        }
        // Events with their sources in one pass: an event with several sources comes on several
        // rows, one after the other.
        let sql: String
        switch detail {
        case .whole:
            sql = """
                SELECT e.incident_id, e.seq, e.id, e.type, e.at, e.until, e.party_id, e.summary, e.quote, e.channel, e.audience, e.language,
                       s.url, s.title, s.publisher, s.published, s.retrieved
                FROM \(selecting("event", "e", on: "incident_id", join: "LEFT JOIN event_source s ON s.event_seq = e.seq"))
                ORDER BY e.incident_id, e.position, s.position
                """
        case .measuring(let withText):
            sql = """
                SELECT e.incident_id, e.seq, e.id, e.type, e.at, e.until, e.party_id, \(withText ? "e.summary, e.quote" : "NULL, NULL"), NULL, NULL, NULL, NULL
                FROM \(selecting("event", "e", on: "incident_id")) ORDER BY e.incident_id, e.position
                """
        }
        var lastSeq: Int64?
        try eachByIncident(sql) { r, i in
            let seq = r.int64(1)
            if seq != lastSeq {
                lastSeq = seq
                let statement = Quotation(quote: r.text(8), channel: r.text(9), audience: try r.text(10).map { try Audience.parse($0) }, language: r.text(11))
                incidents[i].events.append(Event(id: r.text(2), type: try EventType.parse(r.text(3)!), at: try EventTime(parsing: r.text(4)!),
                                                 until: try r.text(5).map { try EventTime(parsing: $0) }, party: r.text(6), summary: r.text(7),
                                                 statement: statement.isEmpty ? nil : statement))
            }
            if let url = r.text(12) {
                incidents[i].events[incidents[i].events.count - 1].sources.append(Source(
                    url: url, title: r.text(13), publisher: r.text(14),
                    published: try r.text(15).map { try EventTime(parsing: $0) }, retrieved: try r.text(16).map { try EventTime(parsing: $0) }))
            }
        }
        return order.compactMap { slot[$0].map { incidents[$0] } }
    }
}

/// A read stepped through SQLite's C API, its columns decoded by number: GRDB's `Row` finds a
/// column by name and boxes each value, which was a fifth of reading a batch of incidents.
/// Valid only inside `forEach`.
struct RowReader {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    /// A statement with text parameters ?1, ?2, ...
    init(_ db: Database, sql: String, _ arguments: [String]) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (n, argument) in arguments.enumerated() {
            var argument = argument
            let code = argument.withUTF8 { bytes -> Int32 in
                // An empty buffer may have no address, and a NULL pointer would bind NULL, not "".
                guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, Int32(n + 1), "", 0, RowReader.transient) }
                return sqlite3_bind_text(handle, Int32(n + 1), base, Int32(bytes.count), RowReader.transient)
            }
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "a value could not be bound", sql: sql) }
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Runs `body` on every row.
    func forEach(_ body: (RowReader) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
            }
            try body(self)
        }
    }

    /// The column as text, nil when NULL.
    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// True when the column is the text `value` (without making a String of it).
    func equals(_ column: Int32, _ value: String?) -> Bool {
        guard var value, let bytes = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        return value.withUTF8 { $0.count == count && ($0.isEmpty || memcmp($0.baseAddress!, bytes, count) == 0) }
    }

    /// The column as an integer, nil when NULL.
    func int(_ column: Int32) -> Int? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, column))
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
}
