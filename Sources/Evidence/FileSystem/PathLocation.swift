#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore

/// Where a path's final component lives, in the form the `*at` system calls take: a directory
/// descriptor and a name relative to it.
///
/// A path shorter than `PATH_MAX` is passed whole, relative to the working directory. A longer
/// one (a tree nested deeper than the kernel resolves in one call) is walked one component at
/// a time with `openat(O_PATH | O_DIRECTORY | O_NOFOLLOW)`, so evidence at any depth can be
/// examined; every intermediate component must be a real directory, never a symbolic link.
enum PathLocation {
    /// Linux's `O_PATH` (hidden behind _GNU_SOURCE in Glibc): a handle for traversal only.
    static let pathOnly: Int32 = 0o10000000
    /// Paths at least this long are resolved component by component.
    static let longPath = Int(PATH_MAX) - 1

    /// Calls `body` with a directory descriptor and the final name; `ENAMETOOLONG`-free for any
    /// depth. The descriptor is closed afterwards. Returns the errno of a failed traversal.
    static func with<Result>(
        _ path: PathBytes, _ body: (Int32, UnsafePointer<CChar>) -> Result
    ) -> Swift.Result<Result, SystemFailure> {
        guard path.bytes.count >= longPath else {
            return .success(path.withCString { body(AT_FDCWD, $0) })
        }
        let slash = UInt8(ascii: "/")
        var components = path.bytes.split(separator: slash, omittingEmptySubsequences: true).map { PathBytes(Array($0)) }
        guard let leaf = components.popLast() else {
            return .success(path.withCString { body(AT_FDCWD, $0) })
        }
        var directory: Int32 = path.bytes.first == slash
            ? PathBytes(Array("/".utf8)).withCString { open($0, pathOnly | O_DIRECTORY | O_CLOEXEC) }
            : AT_FDCWD
        if directory < 0 { return .failure(SystemFailure(operation: "open", errno: errno)) }
        for component in components {
            let next = component.withCString { openat(directory, $0, pathOnly | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            let failure = errno
            if directory != AT_FDCWD { close(directory) }
            guard next >= 0 else { return .failure(SystemFailure(operation: "open (deep path)", errno: failure)) }
            directory = next
        }
        defer { if directory != AT_FDCWD { close(directory) } }
        return .success(leaf.withCString { body(directory, $0) })
    }
}
