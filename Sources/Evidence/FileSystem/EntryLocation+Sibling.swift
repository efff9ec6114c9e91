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

    /// Whether anything is there (`lstat`, never following a link); a failure other than
    /// "no such file" is an error.
    public func exists() throws(ItemReadError) -> Bool {
        switch FileStat.of(self) {
        case .success: return true
        case .failure(let failure) where failure.code == ENOENT: return false
        case .failure(let failure):
            throw ItemReadError(status: failure.itemStatus, reason: "could not be examined (\(failure))")
        }
    }
}
