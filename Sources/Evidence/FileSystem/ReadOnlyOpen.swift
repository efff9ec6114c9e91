#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// The one way evidence is opened: read-only, never following a final symbolic link, never
/// blocking on a FIFO that appeared in a file's place, closed on exec, and without touching the
/// access time where the kernel allows it (`O_NOATIME` needs ownership or CAP_FOWNER).
enum ReadOnlyOpen {
    #if canImport(Glibc)
    /// Linux's `O_NOATIME` (the same value on x86-64 and arm64); Glibc hides it behind _GNU_SOURCE.
    static let noAccessTime: Int32 = 0o1000000
    #endif

    /// Opens `path` with the safe flags plus `extra`; returns the descriptor.
    static func open(_ path: PathBytes, flags extra: Int32 = 0) -> Result<Int32, SystemFailure> {
        let base = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | extra
        let opened = PathLocation.with(path) { directory, name -> Result<Int32, SystemFailure> in
            #if canImport(Glibc)
            let withNoAtime = openat(directory, name, base | noAccessTime)
            if withNoAtime >= 0 { return .success(withNoAtime) }
            if errno != EPERM { return .failure(SystemFailure(operation: "open", errno: errno)) }
            #endif
            let fd = openat(directory, name, base)
            guard fd >= 0 else { return .failure(SystemFailure(operation: "open", errno: errno)) }
            return .success(fd)
        }
        return opened.flatMap { $0 }
    }
}
