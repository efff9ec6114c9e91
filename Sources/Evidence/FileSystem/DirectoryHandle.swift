#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore

/// An open, read-only descriptor of a directory on the evidence, from which its entries are
/// examined and opened with the `*at` system calls: a walk goes from parent to child by
/// descriptor, in time linear in the depth and without any `PATH_MAX` limit, and a directory
/// swapped for a link after it was opened is never followed.
///
/// The descriptor is closed when the last reference goes (the walker's frame, and the walk
/// entries still waiting to be read). `Sendable`: the descriptor is immutable, and the calls made
/// with it (`openat`, `fstatat`, `readlinkat`) are safe from any thread.
public final class DirectoryHandle: Sendable, Hashable {
    /// The directory's descriptor (`O_RDONLY | O_DIRECTORY`).
    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Opens the directory at `location`, which must still be the object `expected` describes
    /// (a directory replaced after it was examined is refused, never entered).
    static func open(_ location: EntryLocation, expected: FileStat) -> Result<DirectoryHandle, SystemFailure> {
        let fd: Int32
        switch ReadOnlyOpen.open(location, flags: O_DIRECTORY) {
        case .success(let opened): fd = opened
        case .failure(let failure): return .failure(failure)
        }
        var opened = stat()
        guard fstat(fd, &opened) == 0, UInt64(opened.st_dev) == expected.device, UInt64(opened.st_ino) == expected.inode
        else {
            close(fd)
            return .failure(SystemFailure(operation: "open (replaced after it was listed)", errno: ENOENT))
        }
        return .success(DirectoryHandle(descriptor: fd))
    }

    /// The parent of the directory `child` is open on, if it still is the directory
    /// `expected` describes: how a walk climbs back to a directory whose handle it let go.
    static func parent(of child: DirectoryHandle, expected: FileStat) -> DirectoryHandle? {
        open(.inDirectory(child, PathBytes("..")), expected: expected).success
    }

    public static func == (lhs: DirectoryHandle, rhs: DirectoryHandle) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Where an object on the evidence is opened from: a root by its absolute path, anything
/// below by its name in its parent directory's handle.
public enum EntryLocation: Sendable, Hashable {
    /// A root the user named, by its absolute path.
    case root(PathBytes)
    /// An entry of an open directory, by its name there.
    case inDirectory(DirectoryHandle, PathBytes)

    /// Calls `body` with the directory descriptor and the name the `*at` calls take.
    func withLocation<Result>(_ body: (Int32, UnsafePointer<CChar>) -> Result) -> Swift.Result<Result, SystemFailure> {
        switch self {
        case .root(let path): return PathLocation.with(path, body)
        case .inDirectory(let directory, let name): return .success(name.withCString { body(directory.descriptor, $0) })
        }
    }
}

extension Result {
    /// The value, or nil on failure.
    var success: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}
