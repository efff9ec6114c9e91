import BlindfoldCore

/// A disk image read as a container: its volume system (DOS/MBR, GPT, or none), every file
/// system The Sleuth Kit reads in it, and every name those list, allocated and deleted.
///
/// Members come file system by file system in table order, each in TSK's walk order. A member's
/// name is its path inside its file system; its ``ContainerEntry/location`` says which
/// partition, at which offset, which file system type and which inode. Deleted names are
/// flagged; one whose metadata now belongs to another file is recorded and never read, since
/// its data would be the other file's.
///
/// After the files, unless carving is off, come the items carved from the space no file system
/// lists (`DiskImageReader+Carving.swift`).
///
/// A plain `Container`, run behind a container worker like any other (a worker taking over
/// after a fault skips the partitions already done: ``PartitionedContainer``).
public final class DiskImageReader: PartitionedContainer {
    /// One file system to list.
    struct Volume {
        let handle: Int
        let partition: Int?
        let offset: Int64
        let type: String
        /// The volume's index in its pool (APFS); nil for a file system outside a pool.
        var poolVolume: Int? = nil
    }

    public let formatName: String
    public let diskLayout: DiskLayout?
    let image: TSKImage
    let input: any RandomAccessInput
    let carving: CarvingOptions
    /// A triage's order: each file system's media names (by extension) before its others.
    let mediaFirst: Bool
    /// Every file system found, in table order, for carving their unallocated blocks.
    let fileSystems: [Volume]
    private var volumes: [Volume]
    private var names: [TSKName] = []
    private var cursor = 0
    private var volume: Volume?
    private var incomplete: [String] = []
    private var pendingOpen: (handle: Int, inode: UInt64, stream: TSKStream?)?
    private var carved: CarvedMembers?
    /// No volume system and no file system were found: the walk ends `unsupported` after the
    /// carving of the whole media.
    let nothingListed: Bool

    private static func nothingListedReason(carved: Bool) -> String {
        "neither a volume system nor a file system The Sleuth Kit reads was found"
            + (carved ? "; the whole media was carved" : "; carving is off")
    }

    /// Opens the image whose media is `input` and finds its file systems; `facts` are what the
    /// image's format states (nil for plain raw); `carving` says whether and how its
    /// unallocated space is carved after its files, `mediaFirst` whether each file system's
    /// pictures, videos and archives come before its other files (a triage).
    public init(
        input: any RandomAccessInput, sectorSize: Int = 512, facts: ImageFacts? = nil,
        carving: CarvingOptions = CarvingOptions(), mediaFirst: Bool = false
    ) throws(ItemReadError) {
        let image = try TSKImage(input: input, sectorSize: sectorSize)
        var volumes: [Volume] = []
        var partitions: [DiskLayout.Partition] = []
        var volumeSystem: String?
        var wholeFileSystem: String?
        var wholePool: DiskLayout.Pool?
        if let (type, regions) = image.openVolumeSystem() {
            volumeSystem = type
            let sector = Int64(image.sectorSize)
            for region in regions {
                let offset = region.startSector * sector
                var found: (fileSystem: String?, pool: DiskLayout.Pool?) = (nil, nil)
                if region.allocated {
                    found = Self.openFileSystems(in: image, at: offset, partition: region.index, into: &volumes)
                }
                partitions.append(DiskLayout.Partition(
                    index: region.index, offset: offset, length: region.sectorCount * sector,
                    allocated: region.allocated, fileSystem: found.fileSystem, pool: found.pool))
            }
        } else {
            (wholeFileSystem, wholePool) = Self.openFileSystems(in: image, at: 0, partition: nil, into: &volumes)
        }
        // Nothing TSK reads: the image is still recorded with its format's facts (an E01's
        // verification above all) and, unless carving is off, carved whole.
        let nothingListed = volumeSystem == nil && volumes.isEmpty && wholePool == nil
        if nothingListed && facts == nil && !carving.enabled {
            throw ItemReadError(status: .unsupported, reason: Self.nothingListedReason(carved: false))
        }
        self.nothingListed = nothingListed
        self.image = image
        self.input = input
        self.carving = carving
        self.mediaFirst = mediaFirst
        self.fileSystems = volumes
        self.volumes = volumes.reversed()
        self.formatName = facts?.format ?? "raw"
        self.diskLayout = DiskLayout(
            imageFormat: formatName, mediaSize: image.mediaSize, sectorSize: image.sectorSize,
            volumeSystem: volumeSystem, partitions: partitions, fileSystem: wholeFileSystem, facts: facts,
            pool: wholePool)
    }

    /// Opens what starts at byte `offset`: a file system TSK reads directly or, failing that,
    /// a pool (APFS container) and the file system of each of its volumes that is not
    /// encrypted. Appends what can be listed to `volumes`; returns the file system type for the
    /// layout (that of the pool's volumes when one opened) and the pool's facts.
    private static func openFileSystems(
        in image: TSKImage, at offset: Int64, partition: Int?, into volumes: inout [Volume]
    ) -> (fileSystem: String?, pool: DiskLayout.Pool?) {
        if let opened = image.openFileSystem(at: offset) {
            volumes.append(Volume(handle: opened.handle, partition: partition, offset: offset, type: opened.type))
            return (opened.type, nil)
        }
        guard let (type, poolVolumes) = image.openPool(at: offset) else { return (nil, nil) }
        var pool = DiskLayout.Pool(type: type, volumes: poolVolumes.count, encryptedVolumes: [], unreadVolumes: [])
        var fileSystem: String?
        for poolVolume in poolVolumes {
            if poolVolume.encrypted {
                pool.encryptedVolumes.append(poolVolume.index)
            } else if let opened = image.openPoolFileSystem(block: poolVolume.block) {
                fileSystem = fileSystem ?? opened.type
                volumes.append(Volume(
                    handle: opened.handle, partition: partition, offset: offset, type: opened.type,
                    poolVolume: poolVolume.index))
            } else {
                pool.unreadVolumes.append(poolVolume.index)
            }
        }
        return (fileSystem, pool)
    }

    public func skipPartitions(through index: Int) {
        volumes.removeAll { volume in volume.partition.map { $0 <= index } ?? false }
    }

    public func next() -> ContainerStep {
        pendingOpen = nil
        while cursor >= names.count {
            guard let nextVolume = volumes.popLast() else {
                if carving.enabled && carved == nil {
                    carved = CarvedMembers(input: input, regions: carvingRegions(), options: carving)
                }
                if let step = carved?.next() { return step }
                if nothingListed { return .failure(.unsupported, Self.nothingListedReason(carved: carving.enabled)) }
                if incomplete.isEmpty { return .end }
                return .failure(.corrupt, "the file system \(incomplete.joined(separator: ", ")) could not be listed completely; the names before the damage are recorded")
            }
            let listing = image.list(nextVolume.handle)
            if !listing.complete {
                let place = nextVolume.partition.map { "in partition \($0)" } ?? "at offset 0"
                incomplete.append(nextVolume.poolVolume.map { "\(place), pool volume \($0)" } ?? place)
            }
            volume = nextVolume
            names = mediaFirst ? Self.mediaFirst(listing.names) : listing.names
            cursor = 0
        }
        let name = names[cursor]
        cursor += 1
        guard let volume else { return .end }
        var entry = ContainerEntry(
            name: PathBytes(name.path), kind: name.kind, declaredSize: name.kind == .file ? name.size : nil,
            mtime: name.mtime)
        entry.isDeleted = !name.nameAllocated
        entry.location = LayerLocation(
            partition: volume.partition, offset: volume.offset, fileSystem: volume.type, inode: name.inode,
            poolVolume: volume.poolVolume, attribute: name.stream.map { "\($0.type.rawValue)-\($0.id)" })
        if name.kind == .file, let withheld = Self.withheld(name) {
            entry.withheld = withheld
        } else if name.kind == .file {
            pendingOpen = (volume.handle, name.inode, name.stream)
        }
        return .entry(entry)
    }

    /// `names` with those whose extension is a picture's, a video's or an archive's first,
    /// each group in its listing order.
    private static func mediaFirst(_ names: [TSKName]) -> [TSKName] {
        let isMedia = names.map { name in
            PathBytes(name.path).fileExtension.map { TriagePriority.mediaExtensions.contains($0) } ?? false
        }
        return names.indices.filter { isMedia[$0] }.map { names[$0] } + names.indices.filter { !isMedia[$0] }.map { names[$0] }
    }

    /// Why a regular file's data is not read: a deleted name whose metadata is gone or now
    /// belongs to another file.
    private static func withheld(_ name: TSKName) -> ItemReadError? {
        guard !name.nameAllocated else { return nil }
        switch name.metadataAllocated {
        case .none:
            return ItemReadError(
                status: .notOpened, reason: "deleted name without metadata The Sleuth Kit can read; no data to recover")
        case .some(true):
            return ItemReadError(
                status: .notOpened,
                reason: "deleted name whose metadata now belongs to another file; that data is not this file's, so it is not hashed under this name")
        case .some(false):
            return nil
        }
    }

    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        if let carved { return try carved.readData(into: buffer) }
        if let (handle, inode, stream) = pendingOpen {
            pendingOpen = nil
            try image.openFile(handle, inode: inode, stream: stream)
        }
        return try image.read(into: buffer)
    }
}
