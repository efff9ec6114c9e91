/// Where a carved member's bytes lie in a disk image: found by walking a picture's or a
/// video's structure in space no file system lists, not by a name.
///
/// Numbers and format names only: nothing here is text taken from the image.
public struct CarvedLocation: Hashable, Sendable, Codable {
    /// The first byte of the carved item, from the start of the image.
    public var offset: Int64
    /// The item's length in bytes, as its structure states it; nil for an item past the size
    /// cap whose structure does not declare its length (a JPEG with no end within the cap).
    public var length: Int64?
    /// The space it was carved from.
    public var origin: CarvedOrigin

    /// A location from its parts.
    public init(offset: Int64, length: Int64?, origin: CarvedOrigin) {
        self.offset = offset
        self.length = length
        self.origin = origin
    }
}

/// The kind of space a carved item was found in, and the partition and file system around it.
public struct CarvedOrigin: Hashable, Sendable, Codable {
    /// Kinds of space that are carved.
    public enum Space: String, Hashable, Sendable, Codable {
        /// Blocks a file system does not allocate.
        case unallocated
        /// Space the volume system leaves outside every partition, or past the file system of
        /// an image without one.
        case unpartitioned
        /// A partition in which no file system was read.
        case noFileSystem = "no-file-system"
    }

    /// The kind of space.
    public var space: Space
    /// The `mmls` index of the partition or unallocated region; nil without a volume system.
    public var partition: Int?
    /// The first byte of that partition, region or file system in the image.
    public var regionOffset: Int64
    /// The file system whose unallocated blocks held the item (TSK's name), if any.
    public var fileSystem: String?

    /// An origin from its parts.
    public init(space: Space, partition: Int?, regionOffset: Int64, fileSystem: String?) {
        self.space = space
        self.partition = partition
        self.regionOffset = regionOffset
        self.fileSystem = fileSystem
    }
}
