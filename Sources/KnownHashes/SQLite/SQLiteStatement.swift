import CSQLite

/// One prepared statement: the one owner of a `sqlite3_stmt` handle, stepped row by row.
final class SQLiteStatement {
    private let handle: OpaquePointer
    // Keeps the connection open for as long as the statement lives.
    private let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Moves to the next row; false after the last.
    func step() throws(HashSetError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            database.rowProduced()
            return true
        case SQLITE_DONE: return false
        default: throw database.error("SQLite failed while reading (\(database.lastMessage))")
        }
    }

    /// Lends column `index` of the current row as bytes (empty for NULL) to `body`.
    func withText<Result>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws(HashSetError) -> Result)
        throws(HashSetError) -> Result
    {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard let text = sqlite3_column_text(handle, index) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: text, count: count))
    }

    /// The number of columns in a row.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Column `index` of the current row as a string (nil for NULL).
    func text(_ index: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, index) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
    }
}
