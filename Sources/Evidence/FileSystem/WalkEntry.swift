import BlindfoldCore

/// One object the walker found, in walk order, with what the scanner should do with it.
public struct WalkEntry: Sendable, Hashable {
    /// What to do with the entry.
    public enum Disposition: Sendable, Hashable {
        /// A regular file: open it read-only and read every byte.
        case read
        /// Record it without opening it, with this status and reason.
        case record(ItemStatus, reason: String)
    }

    /// Where it is, relative to its root.
    public var path: VirtualPath
    /// Where to open it from: its parent directory's handle and its name (a root: its path).
    public var location: EntryLocation
    /// What kind of object it is.
    public var kind: ItemKind
    /// `lstat` of the object, when that succeeded.
    public var stat: FileStat?
    /// For a symbolic link, its target as stored.
    public var linkTarget: PathBytes?
    /// Read it, or record it as it is.
    public var disposition: Disposition
}
