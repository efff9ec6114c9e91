/// Where an item lives: a root, a path relative to it, and (for archive members) the chain of
/// containers that hold it.
public struct VirtualPath: Hashable, Sendable {
    /// One step into a container: the container's format and the member's name inside it.
    public struct Layer: Hashable, Sendable {
        /// The container format as libarchive names it (`zip`, `tar`, `gzip`, ...).
        public var format: String
        /// The member's name exactly as the container stores it.
        public var member: PathBytes
        /// Where the member sits inside a disk image (partition, file system, inode); nil for
        /// archive members.
        public var location: LayerLocation?
        /// Where a member carved from a disk image's unallocated space lies; nil otherwise.
        public var carved: CarvedLocation?

        /// A layer from its parts.
        public init(format: String, member: PathBytes, location: LayerLocation? = nil, carved: CarvedLocation? = nil) {
            self.format = format
            self.member = member
            self.location = location
            self.carved = carved
        }
    }

    /// Index of the root in the scan's list of roots.
    public var rootIndex: Int
    /// The path relative to the root (the file's own name when the root is a file).
    public var relative: PathBytes
    /// Containers from the outermost in; empty for a plain file.
    public var layers: [Layer]

    /// A path from its parts.
    public init(rootIndex: Int, relative: PathBytes, layers: [Layer] = []) {
        self.rootIndex = rootIndex
        self.relative = relative
        self.layers = layers
    }

    /// The name whose extension describes the item: the innermost member, else the file.
    public var effectiveName: PathBytes { layers.last?.member ?? relative }
}
