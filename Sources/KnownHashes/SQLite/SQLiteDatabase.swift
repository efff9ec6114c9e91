import CSQLite

/// A read-only SQLite connection: the one owner of a `sqlite3` handle.
///
/// Opened with `SQLITE_OPEN_READONLY` on an `immutable=1` URI, so SQLite takes no locks and
/// writes no journal or WAL beside a set that may sit on write-protected media. One import uses
/// one connection on one thread (hence no `Sendable`).
final class SQLiteDatabase {
    private let handle: OpaquePointer
    /// The database file.
    let path: String

    /// Opens `path` read-only and immutable.
    init(readOnly path: String) throws(HashSetError) {
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
    }

    deinit { sqlite3_close_v2(handle) }

    /// Prepares `sql`; the statement must not outlive this connection (it keeps it alive).
    func prepare(_ sql: String) throws(HashSetError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("SQLite cannot read it (\(String(cString: sqlite3_errmsg(handle))))")
        }
        return SQLiteStatement(statement, database: self)
    }

    /// An error naming the file, with SQLite's message for the last call.
    func error(_ reason: String) -> HashSetError { HashSetError(file: path, reason: reason) }

    /// SQLite's message for the last failed call.
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

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
