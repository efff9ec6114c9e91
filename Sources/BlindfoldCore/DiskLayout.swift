/// What a disk image holds, as its own record states it: the image format, its size, and the
/// volume layout. Numbers and format names only; partition names (GPT labels) are text the
/// image's owner wrote and are never recorded. `Codable` so that a container worker can send it
/// to the scanner.
public struct DiskLayout: Hashable, Sendable, Codable {
    /// One region of the volume system: a partition, or space no partition claims.
    public struct Partition: Hashable, Sendable, Codable {
        /// The index `mmls` prints.
        public var index: Int
        /// First byte, from the start of the image.
        public var offset: Int64
        /// Length in bytes.
        public var length: Int64
        /// True for a partition, false for space the table leaves unallocated.
        public var allocated: Bool
        /// The file system found in it, when The Sleuth Kit reads one.
        public var fileSystem: String?
        /// The pool (APFS container) in it, when there is one.
        public var pool: Pool?

        /// A partition from its parts.
        public init(index: Int, offset: Int64, length: Int64, allocated: Bool, fileSystem: String?, pool: Pool? = nil) {
            self.pool = pool
            self.index = index
            self.offset = offset
            self.length = length
            self.allocated = allocated
            self.fileSystem = fileSystem
        }
    }

    /// A pool of volumes sharing one container (APFS), as The Sleuth Kit's pool API reads it:
    /// counts and indexes only (volume names are text the owner wrote and are never recorded).
    public struct Pool: Hashable, Sendable, Codable {
        /// The pool type as TSK names it (`apfs`).
        public var type: String
        /// How many volumes the pool lists.
        public var volumes: Int
        /// The indexes of encrypted volumes: recorded, not read (no password is ever tried).
        public var encryptedVolumes: [Int]
        /// The indexes of volumes whose file system TSK could not open.
        public var unreadVolumes: [Int]

        /// A pool from its parts.
        public init(type: String, volumes: Int, encryptedVolumes: [Int], unreadVolumes: [Int]) {
            self.type = type
            self.volumes = volumes
            self.encryptedVolumes = encryptedVolumes
            self.unreadVolumes = unreadVolumes
        }
    }

    /// The image format (`raw`, `split-raw`, `ewf`, `vhd`, `vmdk`).
    public var imageFormat: String
    /// The media size in bytes.
    public var mediaSize: Int64
    /// The sector size in bytes.
    public var sectorSize: Int
    /// The volume system (`dos`, `gpt`, ...); nil when the image is one file system.
    public var volumeSystem: String?
    /// The regions of the volume system, in table order.
    public var partitions: [Partition]
    /// The file system at offset 0 when there is no volume system.
    public var fileSystem: String?
    /// What the image's container format says about itself (segments, EWF acquisition and
    /// verification); nil for a plain raw image.
    public var facts: ImageFacts?
    /// The pool at offset 0 when there is no volume system (an APFS container image).
    public var pool: Pool?

    /// A layout from its parts.
    public init(
        imageFormat: String, mediaSize: Int64, sectorSize: Int, volumeSystem: String?,
        partitions: [Partition], fileSystem: String?, facts: ImageFacts? = nil, pool: Pool? = nil
    ) {
        self.pool = pool
        self.imageFormat = imageFormat
        self.mediaSize = mediaSize
        self.sectorSize = sectorSize
        self.volumeSystem = volumeSystem
        self.partitions = partitions
        self.fileSystem = fileSystem
        self.facts = facts
    }
}
