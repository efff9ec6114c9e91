#if canImport(Glibc)
import Glibc
#endif

/// The character set libarchive converts member names into: UTF-8, on the calling thread only.
///
/// libarchive converts every name from the archive's charset (UTF-8 for flagged zip names,
/// UTF-16 for RAR and LHA Unicode names, CP932 for plain LHA) into the *current locale's*
/// charset. A process that never set its locale runs in "C" (ASCII), so every name with a byte
/// over 127 failed: zip and RAR members were listed without a name and LHA archives ended
/// `corrupt`. A per-thread locale (`uselocale`) fixes that for this reader's calls without
/// touching the process (no global state: the scanner, tests and workers behave the same).
///
/// Not `Sendable`: owned by one reader, used on the thread that calls it.
final class ArchiveLocale {
    private let utf8: locale_t?

    /// Makes the C.UTF-8 character-type locale; without it (a libc that lacks it) calls run in
    /// the thread's current locale.
    init() {
        utf8 = newlocale(Int32(1) << LC_CTYPE, "C.UTF-8", nil)
    }

    deinit {
        if let utf8 { freelocale(utf8) }
    }

    /// Runs `body` with the UTF-8 locale on this thread, then restores the previous one.
    func run<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        guard let utf8 else { return try body() }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return try body()
    }
}
