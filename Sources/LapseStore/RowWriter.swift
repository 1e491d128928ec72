import GRDB
import GRDBSQLite

/// One prepared INSERT that an import runs hundreds of thousands of times, bound and stepped
/// through SQLite's C API: GRDB's `StatementArguments` box every value in an array of
/// `DatabaseValue`s per row, which was about a seventh of a large import's time.
/// Every parameter is bound on every row (`bind` then `run`), so no value leaks from one row
/// into the next. A value SQLite refuses to bind (text over 2 GiB) fails the row in `run`.
final class RowWriter {
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?
    /// The first binding SQLite refused since the last `run`.
    private var bindFailure: Int32 = SQLITE_OK

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    /// SQLite copies the bytes before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        let code = value.withUTF8 { bytes -> Int32 in
            guard let length = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
            // An empty buffer may have no address, and a NULL pointer would bind NULL, not "".
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, Self.transient) }
            return sqlite3_bind_text(handle, index, base, length, Self.transient)
        }
        check(code)
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value {
            check(sqlite3_bind_int64(handle, index, Int64(value)))
        } else {
            check(sqlite3_bind_null(handle, index))
        }
    }

    func bind(_ index: Int32, _ value: Int64) {
        check(sqlite3_bind_int64(handle, index, value))
    }

    private func check(_ code: Int32) {
        if code != SQLITE_OK && bindFailure == SQLITE_OK { bindFailure = code }
    }

    /// Runs the statement with the values bound; a failed constraint throws SQLite's message.
    func run() throws {
        guard bindFailure == SQLITE_OK else {
            let code = bindFailure
            bindFailure = SQLITE_OK
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "a value could not be bound (\(String(cString: sqlite3_errstr(code))))",
                                sql: statement.sql)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
        sqlite3_reset(handle)
    }
}
