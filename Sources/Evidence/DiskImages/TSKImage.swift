#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore
import CTSK

/// An opened disk image: the thin wrapper around The Sleuth Kit, and the only code that
/// touches its pointers (`TSK_IMG_INFO`, `TSK_VS_INFO`, `TSK_POOL_INFO`, `TSK_FS_INFO`,
/// `TSK_FS_FILE`; the pool API is in `TSKImage+Pool.swift`).
///
/// TSK never opens a path: it reads the image's bytes through ``RandomAccessInput`` (a
/// read-only descriptor or memory), so nothing near the evidence is ever opened for writing.
/// Error texts from TSK are never passed on (they can quote names from the image); every
/// failure is a sentence of our own.
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class TSKImage {
    /// A region of the volume system, as TSK lists it.
    struct Region {
        let index: Int
        let startSector: Int64
        let sectorCount: Int64
        let allocated: Bool
    }

    /// The bytes TSK reads, kept alive for as long as the image is open.
    private final class Source {
        let input: any RandomAccessInput
        init(_ input: any RandomAccessInput) { self.input = input }
    }

    private let source: Source
    let image: UnsafeMutablePointer<TSK_IMG_INFO>
    private var volumes: UnsafeMutablePointer<TSK_VS_INFO>?
    var fileSystems: [UnsafeMutablePointer<TSK_FS_INFO>] = []
    /// Pools opened (APFS containers); closed after the file systems opened in them.
    var pools: [UnsafePointer<TSK_POOL_INFO>] = []
    /// The images of pool volumes (TSK's pool image type), closed between the two.
    var poolImages: [UnsafeMutablePointer<TSK_IMG_INFO>] = []
    private var file: UnsafeMutablePointer<TSK_FS_FILE>?
    /// The named data stream being read instead of the default one (NTFS).
    private var stream: TSKStream?
    private var fileOffset: Int64 = 0
    private var fileSize: Int64 = 0

    /// The media size in bytes.
    var mediaSize: Int64 { Int64(image.pointee.size) }
    /// The sector size in bytes.
    var sectorSize: Int { Int(image.pointee.sector_size) }

    /// Opens the image over `input`, with `sectorSize`-byte sectors.
    init(input: any RandomAccessInput, sectorSize: Int = 512) throws(ItemReadError) {
        let source = Source(input)
        let context = Unmanaged.passUnretained(source).toOpaque()
        guard let opened = ctsk_open_external(context, TSK_OFF_T(input.size), UInt32(sectorSize), Self.readCallback) else {
            throw ItemReadError(status: .unreadable, reason: "The Sleuth Kit could not open the image")
        }
        self.source = source
        self.image = opened
    }

    deinit {
        if let file { tsk_fs_file_close(file) }
        for fileSystem in fileSystems { tsk_fs_close(fileSystem) }
        for volumeImage in poolImages { tsk_img_close(volumeImage) }
        for pool in pools { tsk_pool_close(pool) }
        if let volumes { tsk_vs_close(volumes) }
        tsk_img_close(image)
    }

    private static let readCallback: @convention(c) (
        UnsafeMutablePointer<TSK_IMG_INFO>?, TSK_OFF_T, UnsafeMutablePointer<CChar>?, Int
    ) -> Int = { image, offset, buffer, length in
        guard let image, let buffer, let context = ctsk_external_context(image) else { return -1 }
        let source = Unmanaged<Source>.fromOpaque(context).takeUnretainedValue()
        let target = UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(buffer), count: length)
        var filled = 0
        // TSK expects the whole length unless the image ends first.
        while filled < length {
            do throws(ItemReadError) {
                let count = try source.input.read(
                    at: Int64(offset) + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: target[filled...]))
                if count == 0 { break }
                filled += count
            } catch {
                return -1
            }
        }
        return filled
    }

    /// Opens the volume system, if the image has one TSK reads: its type name (`dos`, `gpt`,
    /// ...) and its regions in table order (metadata regions such as the table itself left
    /// out). Nil when there is none: the image may be a file system from its first byte.
    func openVolumeSystem() -> (type: String, regions: [Region])? {
        guard volumes == nil, let opened = tsk_vs_open(image, 0, TSK_VS_TYPE_DETECT) else {
            tsk_error_reset()
            return nil
        }
        volumes = opened
        var regions: [Region] = []
        for index in 0..<opened.pointee.part_count {
            guard let part = tsk_vs_part_get(opened, index) else { continue }
            let flags = part.pointee.flags.rawValue
            if flags & TSK_VS_PART_FLAG_META.rawValue != 0 { continue }
            regions.append(Region(
                index: Int(part.pointee.addr), startSector: Int64(part.pointee.start),
                sectorCount: Int64(part.pointee.len), allocated: flags & CTSK_VS_PART_FLAG_ALLOC != 0))
        }
        let name = tsk_vs_type_toname(opened.pointee.vstype).map { String(cString: $0) } ?? "unknown"
        return (name, regions)
    }

    /// Opens the file system that starts at byte `offset`: a handle for ``list(_:)`` and its
    /// type name, or nil when TSK reads none there.
    func openFileSystem(at offset: Int64) -> (handle: Int, type: String)? {
        guard let opened = tsk_fs_open_img(image, TSK_OFF_T(offset), TSK_FS_TYPE_DETECT) else {
            tsk_error_reset()
            return nil
        }
        fileSystems.append(opened)
        let name = tsk_fs_type_toname(opened.pointee.ftype).map { String(cString: $0) } ?? "unknown"
        return (fileSystems.count - 1, name)
    }

    /// Every name in the file system, allocated and deleted, orphans included, in TSK's walk
    /// order (directories before their contents). TSK's virtual files (`$MBR`, `$FAT1`, the
    /// `$OrphanFiles` folder itself), a FAT or exFAT volume label (which TSK lists as an empty
    /// root file `LABEL (Volume Label Entry)`: the owner's name for the volume, not a file) and
    /// `.`/`..` are left out.
    /// `complete` is false when the walk stopped at damage (what was listed before stands).
    func list(_ handle: Int) -> (names: [TSKName], complete: Bool) {
        let fileSystem = fileSystems[handle]
        let collector = TSKNameCollector()
        let flags = TSK_FS_DIR_WALK_FLAG_ENUM(
            rawValue: TSK_FS_DIR_WALK_FLAG_ALLOC.rawValue | TSK_FS_DIR_WALK_FLAG_UNALLOC.rawValue
                | TSK_FS_DIR_WALK_FLAG_RECURSE.rawValue)
        let failed = withExtendedLifetime(collector) {
            tsk_fs_dir_walk(
                fileSystem, fileSystem.pointee.root_inum, flags, Self.walkCallback,
                Unmanaged.passUnretained(collector).toOpaque()) != 0
        }
        if failed { tsk_error_reset() }
        return (collector.names, !failed)
    }

    private static let walkCallback: @convention(c) (
        UnsafeMutablePointer<TSK_FS_FILE>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?
    ) -> TSK_WALK_RET_ENUM = { file, path, context in
        guard let file, let context, let name = file.pointee.name, let leaf = name.pointee.name else {
            return TSK_WALK_CONT
        }
        let collector = Unmanaged<TSKNameCollector>.fromOpaque(context).takeUnretainedValue()
        let leafBytes = Array(UnsafeRawBufferPointer(start: leaf, count: strlen(leaf)))
        if leafBytes == [0x2E] || leafBytes == [0x2E, 0x2E] { return TSK_WALK_CONT }
        let meta = file.pointee.meta
        if let meta, meta.pointee.type == TSK_FS_META_TYPE_VIRT || meta.pointee.type == TSK_FS_META_TYPE_VIRT_DIR {
            return TSK_WALK_CONT
        }
        let prefix = path.map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? []
        if TSKImage.isVolumeLabel(file, leaf: leafBytes, inRoot: prefix.isEmpty) { return TSK_WALK_CONT }
        let nameAllocated = name.pointee.flags.rawValue & CTSK_NAME_FLAG_ALLOC != 0
        let named = TSKName(
            path: prefix + leafBytes,
            inode: UInt64(name.pointee.meta_addr),
            kind: meta.map { TSKImage.kind(of: $0.pointee.type) } ?? TSKImage.kind(of: name.pointee.type),
            nameAllocated: nameAllocated,
            metadataAllocated: meta.map { $0.pointee.flags.rawValue & CTSK_META_FLAG_ALLOC != 0 },
            size: meta.map { Int64($0.pointee.size) },
            mtime: meta.map { Timestamp(seconds: Int64($0.pointee.mtime), nanoseconds: Int32(clamping: $0.pointee.mtime_nano)) },
            stream: nil)
        collector.names.append(named)
        if named.kind == .file { collector.names += alternateStreams(of: file, named) }
        return TSK_WALK_CONT
    }

    /// The suffix TSK gives the name of a FAT or exFAT volume label's directory entry.
    private static let volumeLabelSuffix = Array(" (Volume Label Entry)".utf8)

    /// True for TSK's rendering of a FAT or exFAT volume label: an empty "file" in the root
    /// whose name ends in ``volumeLabelSuffix``.
    private static func isVolumeLabel(_ file: UnsafeMutablePointer<TSK_FS_FILE>, leaf: [UInt8], inRoot: Bool) -> Bool {
        guard inRoot, leaf.count > volumeLabelSuffix.count, leaf.suffix(volumeLabelSuffix.count).elementsEqual(volumeLabelSuffix),
              let fileSystem = file.pointee.fs_info,
              fileSystem.pointee.ftype.rawValue & TSK_FS_TYPE_FAT_DETECT.rawValue != 0 else { return false }
        return (file.pointee.meta?.pointee.size ?? 0) == 0
    }

    /// The file system's unallocated blocks as runs of consecutive blocks, in byte offsets
    /// from the image's start (TSK's block walk, addresses only), and the bytes the file
    /// system spans. Stops early, with the runs found so far, when `shouldStop` says so.
    func unallocatedRuns(_ handle: Int, shouldStop: @escaping () -> Bool) -> (runs: [(offset: Int64, length: Int64)], span: Int64) {
        let fileSystem = fileSystems[handle]
        let collector = TSKBlockRuns(blockSize: Int64(fileSystem.pointee.block_size), shouldStop: shouldStop)
        let flags = TSK_FS_BLOCK_WALK_FLAG_ENUM(
            rawValue: TSK_FS_BLOCK_WALK_FLAG_UNALLOC.rawValue | TSK_FS_BLOCK_WALK_FLAG_AONLY.rawValue)
        let failed = withExtendedLifetime(collector) {
            tsk_fs_block_walk(
                fileSystem, fileSystem.pointee.first_block, fileSystem.pointee.last_block_act, flags,
                Self.blockCallback, Unmanaged.passUnretained(collector).toOpaque()) != 0
        }
        if failed { tsk_error_reset() }
        let base = Int64(fileSystem.pointee.offset)
        let span = Int64(fileSystem.pointee.block_count) * collector.blockSize
        return (collector.runs.map { (offset: base + $0.first * collector.blockSize, length: $0.count * collector.blockSize) }, span)
    }

    private static let blockCallback: @convention(c) (UnsafePointer<TSK_FS_BLOCK>?, UnsafeMutableRawPointer?) -> TSK_WALK_RET_ENUM = {
        block, context in
        guard let block, let context else { return TSK_WALK_STOP }
        let collector = Unmanaged<TSKBlockRuns>.fromOpaque(context).takeUnretainedValue()
        return collector.add(Int64(block.pointee.addr)) ? TSK_WALK_CONT : TSK_WALK_STOP
    }

    /// An NTFS file's named data streams (alternate data streams), each as a name of its own:
    /// `path:stream`, as `fls` prints it. Other file systems have none.
    private static func alternateStreams(of file: UnsafeMutablePointer<TSK_FS_FILE>, _ named: TSKName) -> [TSKName] {
        guard let fileSystem = file.pointee.fs_info, fileSystem.pointee.ftype == TSK_FS_TYPE_NTFS,
              file.pointee.meta != nil else { return [] }
        var streams: [TSKName] = []
        let count = tsk_fs_file_attr_getsize(file)
        for index in 0..<max(count, 0) {
            guard let attribute = tsk_fs_file_attr_get_idx(file, index),
                  attribute.pointee.type == TSK_FS_ATTR_TYPE_NTFS_DATA,
                  let label = attribute.pointee.name, label.pointee != 0 else { continue }
            let labelBytes = Array(UnsafeRawBufferPointer(start: label, count: strlen(label)))
            streams.append(TSKName(
                path: named.path + [UInt8(ascii: ":")] + labelBytes, inode: named.inode, kind: .file,
                nameAllocated: named.nameAllocated, metadataAllocated: named.metadataAllocated,
                size: Int64(attribute.pointee.size), mtime: named.mtime,
                stream: TSKStream(type: attribute.pointee.type, id: attribute.pointee.id)))
        }
        tsk_error_reset()
        return streams
    }

    private static func kind(of type: TSK_FS_META_TYPE_ENUM) -> ItemKind {
        switch type {
        case TSK_FS_META_TYPE_REG: .file
        case TSK_FS_META_TYPE_DIR: .directory
        case TSK_FS_META_TYPE_LNK: .symlink
        case TSK_FS_META_TYPE_FIFO: .fifo
        case TSK_FS_META_TYPE_SOCK: .socket
        case TSK_FS_META_TYPE_BLK: .blockDevice
        case TSK_FS_META_TYPE_CHR: .charDevice
        default: .other
        }
    }

    private static func kind(of type: TSK_FS_NAME_TYPE_ENUM) -> ItemKind {
        switch type {
        case TSK_FS_NAME_TYPE_REG: .file
        case TSK_FS_NAME_TYPE_DIR: .directory
        case TSK_FS_NAME_TYPE_LNK: .symlink
        case TSK_FS_NAME_TYPE_FIFO: .fifo
        case TSK_FS_NAME_TYPE_SOCK: .socket
        case TSK_FS_NAME_TYPE_BLK: .blockDevice
        case TSK_FS_NAME_TYPE_CHR: .charDevice
        default: .other
        }
    }

    /// Opens the file with metadata address `inode` for ``read(into:)`` (closing the previous
    /// one): its default data, or the named `stream`.
    func openFile(_ handle: Int, inode: UInt64, stream: TSKStream? = nil) throws(ItemReadError) {
        if let file { tsk_fs_file_close(file) }
        file = nil
        self.stream = nil
        guard let opened = tsk_fs_file_open_meta(fileSystems[handle], nil, TSK_INUM_T(inode)),
              let meta = opened.pointee.meta else {
            tsk_error_reset()
            throw ItemReadError(status: .corrupt, reason: "the file system's metadata for this file could not be read")
        }
        file = opened
        fileOffset = 0
        fileSize = Int64(meta.pointee.size)
        if let stream {
            guard let attribute = tsk_fs_file_attr_get_type(opened, stream.type, stream.id, 1) else {
                tsk_error_reset()
                throw ItemReadError(status: .corrupt, reason: "the file system's data stream for this item could not be found")
            }
            self.stream = stream
            fileSize = Int64(attribute.pointee.size)
        }
    }

    /// Reads the open file's next bytes (its default data stream); 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard let file, fileOffset < fileSize, let base = buffer.baseAddress else { return 0 }
        let wanted = Int(min(Int64(buffer.count), fileSize - fileOffset))
        let target = base.assumingMemoryBound(to: CChar.self)
        let count = if let stream {
            tsk_fs_file_read_type(
                file, stream.type, stream.id, TSK_OFF_T(fileOffset), target, wanted, TSK_FS_FILE_READ_FLAG_NONE)
        } else {
            tsk_fs_file_read(file, TSK_OFF_T(fileOffset), target, wanted, TSK_FS_FILE_READ_FLAG_NONE)
        }
        guard count > 0 else {
            tsk_error_reset()
            throw ItemReadError(status: .corrupt, reason: "the file system's data for this file could not be read")
        }
        fileOffset += Int64(count)
        return count
    }
}

/// Gathers the names TSK's directory walk reports (the walk's context object).
private final class TSKNameCollector {
    var names: [TSKName] = []
}

/// Coalesces the block addresses TSK's block walk reports into runs (the walk's context object).
private final class TSKBlockRuns {
    let blockSize: Int64
    private let shouldStop: () -> Bool
    private(set) var runs: [(first: Int64, count: Int64)] = []
    private var reported = 0

    init(blockSize: Int64, shouldStop: @escaping () -> Bool) {
        self.blockSize = max(1, blockSize)
        self.shouldStop = shouldStop
    }

    /// Adds one unallocated block; false when the walk is to stop.
    func add(_ address: Int64) -> Bool {
        if let last = runs.last, last.first + last.count == address {
            runs[runs.count - 1].count += 1
        } else {
            runs.append((address, 1))
        }
        reported += 1
        return reported % 65_536 != 0 || !shouldStop()
    }
}

/// One name a file system lists, as TSK reports it.
struct TSKName {
    /// The path inside the file system, exactly as TSK gives it (no leading `/`).
    let path: [UInt8]
    /// The metadata address the name points to.
    let inode: UInt64
    let kind: ItemKind
    /// False for a deleted name.
    let nameAllocated: Bool
    /// Whether the metadata the name points to is in use (by this file, or by another when the
    /// name is deleted); nil when TSK has no metadata for it.
    let metadataAllocated: Bool?
    let size: Int64?
    let mtime: Timestamp?
    /// For an NTFS alternate data stream, which one; nil for the default data.
    let stream: TSKStream?
}

/// One NTFS data attribute: its type and id, as `icat INODE-TYPE-ID` takes them.
struct TSKStream {
    let type: TSK_FS_ATTR_TYPE_ENUM
    let id: UInt16
}
