import Foundation
import LapseCore
import Logging
import NIOCore
import PostgresNIO

// The store speaks to PostgreSQL through this one narrow door: a statement with `$n`
// placeholders and a list of bound values. No value ever becomes part of the SQL text.

/// A value bound to a `$n` placeholder.
enum Bind: Sendable {
    case text(String?)
    case int(Int?)
    case bool(Bool)
    /// A text array whose elements may be NULL (for `unnest` and `= ANY`).
    case texts([String?])
    /// A bigint array whose elements may be NULL.
    case ints([Int?])
}

extension Bind: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .text(value) }
}

/// A statement and its bound values, built a piece at a time: `bind` returns the placeholder.
struct Statement {
    var sql = ""
    var binds: [Bind] = []

    init(_ sql: String = "", _ binds: [Bind] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// Adds a bound value and returns its placeholder (`$n`).
    mutating func bind(_ value: Bind) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }
}

/// One row, read by column number.
struct Row {
    let cells: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        cells = row.makeRandomAccess()
    }

    func text(_ i: Int) throws -> String? {
        try cells[i].decode(String?.self, context: .default)
    }

    func string(_ i: Int) throws -> String {
        guard let value = try text(i) else { throw StoreFailure.database("column \(i) is NULL where a value was expected") }
        return value
    }

    func int(_ i: Int) throws -> Int? {
        try cells[i].decode(Int?.self, context: .default)
    }

    func bool(_ i: Int) throws -> Bool {
        try cells[i].decode(Bool?.self, context: .default) ?? false
    }
}

/// One connection taken from the pool for the length of a call; not shared between threads.
final class Session {
    let connection: PostgresConnection
    let logger: Logger

    /// Ends a failed transaction; a connection that cannot even roll back is closed, so that the
    /// pool drops it rather than hand out a connection inside a transaction.
    func rollback() {
        if (try? execute("ROLLBACK")) == nil { _ = try? connection.close().wait() }
    }

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Runs a statement and returns its rows (blocking: never call it on an event loop).
    @discardableResult
    func rows(_ sql: String, _ binds: [Bind] = []) throws -> [Row] {
        try result(sql, binds).rows.map(Row.init)
    }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ binds: [Bind] = []) throws -> Int {
        try result(sql, binds).metadata.rows ?? 0
    }

    func rows(_ statement: Statement) throws -> [Row] {
        try rows(statement.sql, statement.binds)
    }

    /// The first column of every row, as text.
    func strings(_ sql: String, _ binds: [Bind] = []) throws -> [String] {
        try rows(sql, binds).map { try $0.string(0) }
    }

    /// The first row, if any.
    func one(_ sql: String, _ binds: [Bind] = []) throws -> Row? {
        try rows(sql, binds).first
    }

    /// Runs statements that take no values (the migrations), as one simple query.
    /// Runs statements that end with `;` at the end of a line, one at a time: the extended
    /// protocol takes one statement per message. The store's own SQL only, never user text.
    func script(_ sql: String) throws {
        for statement in sql.components(separatedBy: ";\n") {
            let text = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
            if !text.isEmpty { try execute(text) }
        }
    }

    private func result(_ sql: String, _ binds: [Bind]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .text(let value?): try bindings.append(value)
            case .int(let value?): try bindings.append(value)
            case .bool(let value): try bindings.append(value)
            case .texts(let values): try bindings.append(NullableArray(elements: values.map { $0.map { ByteBuffer(string: $0) } }, type: .text))
            case .ints(let values):
                try bindings.append(NullableArray(elements: values.map { $0.map { v in
                    var buffer = ByteBuffer()
                    buffer.writeInteger(Int64(v))
                    return buffer
                } }, type: .int8))
            case .text(nil), .int(nil): bindings.appendNull()
            }
        }
        return try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger).wait()
    }
}

/// A one-dimensional array in PostgreSQL's binary format whose elements may be NULL, which
/// postgres-nio's own array encoding cannot express.
struct NullableArray: PostgresDynamicTypeEncodable {
    let elements: [ByteBuffer?]
    let type: PostgresDataType

    var psqlType: PostgresDataType {
        switch type {
        case .int8: .int8Array
        default: .textArray
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)          // dimensions
        buffer.writeInteger(elements.contains { $0 == nil } ? 1 : 0, as: Int32.self)  // has NULLs
        buffer.writeInteger(type.rawValue)                                      // element type
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))                              // length
        buffer.writeInteger(1, as: Int32.self)                                  // lower bound
        for element in elements {
            if var element {
                buffer.writeInteger(Int32(element.readableBytes))
                buffer.writeBuffer(&element)
            } else {
                buffer.writeInteger(-1, as: Int32.self)
            }
        }
    }
}
