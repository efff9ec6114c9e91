import CSQLite
import Glibc

/// Stops an SQLite query that runs too long without producing a row.
///
/// SQLite calls the progress handler every few thousand virtual-machine steps; the handler
/// returns non-zero (and the query fails with `SQLITE_INTERRUPT`) once `stallLimit` has passed
/// since the query started or last produced a row. A database that makes a query loop
/// (a view over an endless recursive query, a huge cross join) is so refused within seconds of
/// the limit instead of hanging the scan; a real set, whose rows stream, never comes near it.
final class SQLiteWatchdog {
    /// How long a query may run without producing a row.
    let stallLimit: Double
    private var deadline: Double
    /// True once the handler has stopped a query.
    private(set) var fired = false

    init(stallLimit: Double) {
        self.stallLimit = stallLimit
        deadline = Self.now() + stallLimit
    }

    /// Restarts the clock (a query starts or a row arrives).
    func reset() { deadline = Self.now() + stallLimit }

    /// Installs the handler on `handle`; this watchdog must outlive the connection's queries.
    func install(on handle: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_progress_handler(handle, 10_000, { context in
            guard let context else { return 0 }
            let watchdog = Unmanaged<SQLiteWatchdog>.fromOpaque(context).takeUnretainedValue()
            guard SQLiteWatchdog.now() > watchdog.deadline else { return 0 }
            watchdog.fired = true
            return 1
        }, context)
    }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
