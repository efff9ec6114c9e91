/// Where a member sits inside a disk image, beyond its path: enough for an examiner to find it
/// again with any tool (`mmls` for the partition, `icat -o OFFSET/SECTOR IMAGE INODE` for the
/// data).
///
/// Numbers only: nothing here is text taken from the image. `Codable` so that a container
/// worker can send it to the scanner.
public struct LayerLocation: Hashable, Sendable, Codable {
    /// The partition's index in the volume system, as `mmls` numbers it; nil when the image
    /// has no volume system (a file system from its first byte).
    public var partition: Int?
    /// The byte offset of the file system in the image.
    public var offset: Int64
    /// The file system type as The Sleuth Kit names it (`fat32`, `ext4`, `ntfs`, ...).
    public var fileSystem: String
    /// The metadata address (inode, MFT entry, FAT directory-entry address).
    public var inode: UInt64
    /// The volume's index in its pool (APFS container, as `pstat` lists them); nil outside a
    /// pool. `offset` is then the pool's.
    public var poolVolume: Int?
    /// For an NTFS alternate data stream, the attribute's type and id as `icat INODE-TYPE-ID`
    /// takes them (`128-4`); nil for a file's default data.
    public var attribute: String?

    /// A location from its parts.
    public init(
        partition: Int?, offset: Int64, fileSystem: String, inode: UInt64, poolVolume: Int? = nil,
        attribute: String? = nil
    ) {
        self.poolVolume = poolVolume
        self.attribute = attribute
        self.partition = partition
        self.offset = offset
        self.fileSystem = fileSystem
        self.inode = inode
    }
}
