#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore

extension EntryLocation {
    /// The entry's own name: its last path component.
    public var name: PathBytes {
        switch self {
        case .root(let path): return path.lastComponent
        case .inDirectory(_, let name): return name
        }
    }

    /// The entry called `name` in the same directory (the same directory handle, or the same
    /// folder of a root's path): where the later segments of a split image are looked for.
    public func sibling(named name: PathBytes) -> EntryLocation {
        switch self {
        case .root(let path):
            guard let slash = path.bytes.lastIndex(of: UInt8(ascii: "/")) else { return .root(name) }
            return .root(PathBytes(Array(path.bytes[...slash]) + name.bytes))
        case .inDirectory(let directory, _):
            return .inDirectory(directory, name)
        }
    }

    /// The regular file there (`lstat`), or nil when nothing is there or it is anything else:
    /// a symbolic link is never followed, and a FIFO, device or folder is never opened, when
    /// an image names a file beside it (a segment, a parent, an extent).
    public func regularFile() throws(ItemReadError) -> FileStat? {
        switch FileStat.of(self) {
        case .success(let stat): return stat.kind == .file ? stat : nil
        case .failure(let failure) where failure.code == ENOENT: return nil
        case .failure(let failure):
            throw ItemReadError(status: failure.itemStatus, reason: "could not be examined (\(failure))")
        }
    }
}
