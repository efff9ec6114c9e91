#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// The parts of `lstat`/`fstat` the scanner uses.
public struct FileStat: Sendable, Hashable {
    /// What kind of object it is.
    public var kind: ItemKind
    /// Size in bytes (the apparent size; a sparse file's holes count).
    public var size: Int64
    /// Last modification.
    public var mtime: Timestamp
    /// The device the object lives on.
    public var device: UInt64
    /// Its inode number on that device.
    public var inode: UInt64

    /// Converts a C `stat`.
    public init(_ raw: stat) {
        kind = ItemKind(fileTypeBits: raw.st_mode)
        size = Int64(raw.st_size)
        #if canImport(Glibc)
        mtime = Timestamp(seconds: Int64(raw.st_mtim.tv_sec), nanoseconds: Int32(raw.st_mtim.tv_nsec))
        #else
        mtime = Timestamp(seconds: Int64(raw.st_mtimespec.tv_sec), nanoseconds: Int32(raw.st_mtimespec.tv_nsec))
        #endif
        device = UInt64(raw.st_dev)
        inode = UInt64(raw.st_ino)
    }

    /// `lstat` of a path, or `stat` when `followingLinks` (only for the roots the user names).
    public static func of(_ path: PathBytes, followingLinks: Bool = false) -> Result<FileStat, SystemFailure> {
        of(.root(path), followingLinks: followingLinks)
    }

    /// `lstat` of the object at `location` (`stat` when `followingLinks`).
    static func of(_ location: EntryLocation, followingLinks: Bool = false) -> Result<FileStat, SystemFailure> {
        var raw = Glibc.stat()
        let outcome = location.withLocation { directory, name in
            fstatat(directory, name, &raw, followingLinks ? 0 : AT_SYMLINK_NOFOLLOW) == 0 ? 0 : errno
        }
        switch outcome {
        case .failure(let failure):
            return .failure(failure)
        case .success(let error) where error != 0:
            return .failure(SystemFailure(operation: followingLinks ? "stat" : "lstat", errno: error))
        case .success:
            return .success(FileStat(raw))
        }
    }
}
