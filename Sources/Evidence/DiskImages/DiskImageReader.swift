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
/// A plain `Container`, so that it can later run behind a worker process like any other.
public final class DiskImageReader: Container {
    /// One file system to list.
    private struct Volume {
        let handle: Int
        let partition: Int?
        let offset: Int64
        let type: String
    }

    public let formatName: String
    public let diskLayout: DiskLayout?
    private let image: TSKImage
    private var volumes: [Volume]
    private var names: [TSKName] = []
    private var cursor = 0
    private var volume: Volume?
    private var incomplete: [String] = []
    private var pendingOpen: (handle: Int, inode: UInt64, stream: TSKStream?)?

    /// Opens the image whose media is `input` and finds its file systems; `facts` are what the
    /// image's format states (nil for plain raw).
    public init(input: any RandomAccessInput, sectorSize: Int = 512, facts: ImageFacts? = nil) throws(ItemReadError) {
        let image = try TSKImage(input: input, sectorSize: sectorSize)
        var volumes: [Volume] = []
        var partitions: [DiskLayout.Partition] = []
        var volumeSystem: String?
        var wholeFileSystem: String?
        if let (type, regions) = image.openVolumeSystem() {
            volumeSystem = type
            let sector = Int64(image.sectorSize)
            for region in regions {
                let offset = region.startSector * sector
                var fileSystem: String?
                if region.allocated, let opened = image.openFileSystem(at: offset) {
                    fileSystem = opened.type
                    volumes.append(Volume(handle: opened.handle, partition: region.index, offset: offset, type: opened.type))
                }
                partitions.append(DiskLayout.Partition(
                    index: region.index, offset: offset, length: region.sectorCount * sector,
                    allocated: region.allocated, fileSystem: fileSystem))
            }
        } else if let opened = image.openFileSystem(at: 0) {
            wholeFileSystem = opened.type
            volumes.append(Volume(handle: opened.handle, partition: nil, offset: 0, type: opened.type))
        }
        if volumeSystem == nil && volumes.isEmpty {
            throw ItemReadError(
                status: .unsupported, reason: "neither a volume system nor a file system The Sleuth Kit reads was found")
        }
        self.image = image
        self.volumes = volumes.reversed()
        self.formatName = facts?.format ?? "raw"
        self.diskLayout = DiskLayout(
            imageFormat: formatName, mediaSize: image.mediaSize, sectorSize: image.sectorSize,
            volumeSystem: volumeSystem, partitions: partitions, fileSystem: wholeFileSystem, facts: facts)
    }

    public func next() -> ContainerStep {
        pendingOpen = nil
        while cursor >= names.count {
            guard let nextVolume = volumes.popLast() else {
                if incomplete.isEmpty { return .end }
                return .failure(.corrupt, "the file system \(incomplete.joined(separator: ", ")) could not be listed completely; the names before the damage are recorded")
            }
            let listing = image.list(nextVolume.handle)
            if !listing.complete {
                incomplete.append(nextVolume.partition.map { "in partition \($0)" } ?? "at offset 0")
            }
            volume = nextVolume
            names = listing.names
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
            partition: volume.partition, offset: volume.offset, fileSystem: volume.type, inode: name.inode)
        if name.kind == .file, let withheld = Self.withheld(name) {
            entry.withheld = withheld
        } else if name.kind == .file {
            pendingOpen = (volume.handle, name.inode, name.stream)
        }
        return .entry(entry)
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
        if let (handle, inode, stream) = pendingOpen {
            pendingOpen = nil
            try image.openFile(handle, inode: inode, stream: stream)
        }
        return try image.read(into: buffer)
    }
}
