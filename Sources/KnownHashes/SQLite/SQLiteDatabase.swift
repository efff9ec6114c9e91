import CSQLite

/// A read-only SQLite connection: the one owner of a `sqlite3` handle.
///
/// Opened with `SQLITE_OPEN_READONLY` on an `immutable=1` URI, so SQLite takes no locks and
/// writes no journal or WAL beside a set that may sit on write-protected media. One import uses
/// one connection on one thread (hence no `Sendable`).
///
/// A set is untrusted input: SQLite's limits are lowered (a value of at most 1 MiB, a statement
/// of at most 64 KiB, no attached databases, shallow expressions) and a ``SQLiteWatchdog``
/// fails any query that runs `stallLimit` seconds without producing a row.
final class SQLiteDatabase {
    private let handle: OpaquePointer
    private let watchdog: SQLiteWatchdog
    /// The database file.
    let path: String

    /// Opens `path` read-only and immutable.
    init(readOnly path: String, stallLimit: Double = 60) throws(HashSetError) {
        var opened: OpaquePointer?
        let uri = "file:" + Self.uriEscaped(path) + "?immutable=1"
        let code = sqlite3_open_v2(uri, &opened, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(opened)
            throw HashSetError(file: path, reason: "SQLite cannot open it (\(message))")
        }
        handle = opened
        self.path = path
        for (limit, value) in [
            (SQLITE_LIMIT_LENGTH, 1 << 20), (SQLITE_LIMIT_SQL_LENGTH, 64 << 10), (SQLITE_LIMIT_COLUMN, 200),
            (SQLITE_LIMIT_EXPR_DEPTH, 100), (SQLITE_LIMIT_COMPOUND_SELECT, 8), (SQLITE_LIMIT_ATTACHED, 0),
            (SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100), (SQLITE_LIMIT_TRIGGER_DEPTH, 1),
        ] {
            sqlite3_limit(opened, limit, Int32(value))
        }
        watchdog = SQLiteWatchdog(stallLimit: stallLimit)
        watchdog.install(on: opened)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Prepares `sql`; the statement must not outlive this connection (it keeps it alive).
    func prepare(_ sql: String) throws(HashSetError) -> SQLiteStatement {
        watchdog.reset()
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("SQLite cannot read it (\(lastMessage))")
        }
        return SQLiteStatement(statement, database: self)
    }

    /// An error naming the file, with SQLite's message for the last call.
    func error(_ reason: String) -> HashSetError { HashSetError(file: path, reason: reason) }

    /// SQLite's message for the last failed call.
    var lastMessage: String {
        if watchdog.fired {
            return "a query ran \(Int(watchdog.stallLimit)) s without producing a row and was stopped"
        }
        return String(cString: sqlite3_errmsg(handle))
    }

    /// A row arrived: the watchdog's clock starts again.
    func rowProduced() { watchdog.reset() }

    /// `path` with the characters a `file:` URI gives meaning to percent-escaped.
    private static func uriEscaped(_ path: String) -> String {
        var escaped = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x21, 0x7F...:
                escaped += percent(byte)
            default: escaped.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return escaped
    }

    private static func percent(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
