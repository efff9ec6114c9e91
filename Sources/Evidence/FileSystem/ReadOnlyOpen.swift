#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
#if canImport(Glibc)
import CLinux
#endif

/// The one way evidence is opened: read-only, never through a symbolic link in any component
/// (`openat2` with `RESOLVE_NO_SYMLINKS`: the walker's paths never contain one, so a directory
/// swapped for a link during the scan cannot lead outside the root), never blocking on a FIFO
/// that appeared in a file's place, closed on exec, and without touching the access time where
/// the kernel allows it (`O_NOATIME` needs ownership or CAP_FOWNER).
enum ReadOnlyOpen {
    #if canImport(Glibc)
    /// Linux's `O_NOATIME` (the same value on x86-64 and arm64); Glibc hides it behind _GNU_SOURCE.
    static let noAccessTime: Int32 = 0o1000000
    #endif

    #if canImport(Glibc)
    /// `openat2(RESOLVE_NO_SYMLINKS)`, or `openat` where the kernel lacks it (before 5.6) or a
    /// sandbox refuses it; a symbolic link anywhere in the path fails with `ELOOP`.
    private static func openSafely(_ directory: Int32, _ name: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
        let fd = clinux_open_no_symlinks(directory, name, flags)
        if fd >= 0 || (errno != ENOSYS && errno != EPERM) { return fd }
        // EPERM here may be O_NOATIME refused rather than a seccomp filter: retry plainly.
        let plain = openat(directory, name, flags)
        return plain
    }
    #else
    private static func openSafely(_ directory: Int32, _ name: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
        openat(directory, name, flags)
    }
    #endif

    /// Opens `path` with the safe flags plus `extra`; returns the descriptor.
    static func open(_ path: PathBytes, flags extra: Int32 = 0) -> Result<Int32, SystemFailure> {
        open(.root(path), flags: extra)
    }

    /// Opens the object at `location` with the safe flags plus `extra`; returns the descriptor.
    static func open(_ location: EntryLocation, flags extra: Int32 = 0) -> Result<Int32, SystemFailure> {
        let base = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | extra
        let opened = location.withLocation { directory, name -> Result<Int32, SystemFailure> in
            #if canImport(Glibc)
            let withNoAtime = openSafely(directory, name, base | noAccessTime)
            if withNoAtime >= 0 { return .success(withNoAtime) }
            if errno != EPERM { return .failure(SystemFailure(operation: "open", errno: errno)) }
            #endif
            let fd = openSafely(directory, name, base)
            guard fd >= 0 else { return .failure(SystemFailure(operation: "open", errno: errno)) }
            return .success(fd)
        }
        return opened.flatMap { $0 }
    }
}
