import BlindfoldCore
import CVMDK

/// A VMDK image's media: the thin wrapper around libvmdk, and the only code that touches its
/// pointers. Monolithic sparse and stream-optimized images (descriptor and data in one file),
/// and a text descriptor with the extent files the scanner found beside it
/// (``VMDKDescriptor``: split sparse or flat, 2 GB extents), are read through libbfio handles
/// over the scanner's read-only inputs, never a path. A snapshot (delta) VMDK, whose parent
/// holds the rest of the disk, is refused.
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class VMDKMedia: RandomAccessInput {
    private let source = BFIOSource()
    private var bfio: UnsafeMutablePointer<Int>?
    private var extents: UnsafeMutablePointer<Int>?
    private var handle: UnsafeMutablePointer<libvmdk_handle_t>?

    // Set before anything can fail, so that a failed opening still runs deinit.
    private(set) var size: Int64 = 0
    /// `monolithic-sparse`, `stream-optimized`, `split-sparse`, `split-flat` or `vmfs-sparse`.
    private(set) var imageType = "monolithic-sparse"

    /// Opens the VMDK image that starts `files`: one self-contained file, or a text descriptor
    /// followed by its extent files in the descriptor's order.
    init(files: [any RandomAccessInput]) throws(ItemReadError) {
        guard let input = files.first else {
            throw ItemReadError(status: .unreadable, reason: "no file of the image was handed over")
        }
        bfio = try source.handle(over: input)
        guard libvmdk_handle_initialize(&handle, nil) == 1 else {
            throw ItemReadError(status: .unreadable, reason: "the VMDK reader could not be set up (out of memory)")
        }
        guard libvmdk_handle_open_file_io_handle(handle, bfio, Int32(LIBVMDK_ACCESS_FLAG_READ.rawValue), nil) == 1 else {
            throw ItemReadError(status: .unsupported, reason: "libvmdk could not open the VMDK image: damaged or not a VMDK")
        }
        var type: Int32 = 0
        var count: Int32 = 0
        guard libvmdk_handle_get_disk_type(handle, &type, nil) == 1,
              libvmdk_handle_get_number_of_extents(handle, &count, nil) == 1 else {
            throw ItemReadError(status: .corrupt, reason: "the VMDK image states no usable type or extents")
        }
        var parent: UInt32 = 0
        // `ffffffff` says "no parent"; 0 is what a descriptor without the line leaves.
        if libvmdk_handle_get_parent_content_identifier(handle, &parent, nil) == 1, parent != 0xFFFF_FFFF, parent != 0 {
            throw ItemReadError(
                status: .unsupported, reason: "a snapshot (delta) VMDK: its parent disk is needed and is not read by this version")
        }
        let extentFiles: [any RandomAccessInput]
        switch type {
        case Int32(LIBVMDK_DISK_TYPE_MONOLITHIC_SPARSE.rawValue), Int32(LIBVMDK_DISK_TYPE_STREAM_OPTIMIZED.rawValue):
            imageType = type == Int32(LIBVMDK_DISK_TYPE_STREAM_OPTIMIZED.rawValue) ? "stream-optimized" : "monolithic-sparse"
            guard count == 1 else {
                throw ItemReadError(status: .unsupported, reason: "a one-file VMDK stating \(count) extents: not read by this version")
            }
            // The one extent is this file itself.
            extentFiles = [input]
        case Int32(LIBVMDK_DISK_TYPE_2GB_EXTENT_SPARSE.rawValue), Int32(LIBVMDK_DISK_TYPE_2GB_EXTENT_FLAT.rawValue),
             Int32(LIBVMDK_DISK_TYPE_VMFS_SPARSE.rawValue), Int32(LIBVMDK_DISK_TYPE_VMFS_SPARSE_THIN.rawValue):
            imageType = switch type {
            case Int32(LIBVMDK_DISK_TYPE_2GB_EXTENT_SPARSE.rawValue): "split-sparse"
            case Int32(LIBVMDK_DISK_TYPE_2GB_EXTENT_FLAT.rawValue): "split-flat"
            default: "vmfs-sparse"
            }
            guard files.count - 1 == Int(count) else {
                throw ItemReadError(
                    status: .unsupported,
                    reason: "the VMDK descriptor states \(count) extent files and \(files.count - 1) were found beside it under the names it states")
            }
            extentFiles = Array(files.dropFirst())
        default:
            throw ItemReadError(
                status: .unsupported,
                reason: "a VMDK of a layout not read by this version (monolithic or split sparse, split flat, stream-optimized)")
        }
        extents = try source.pool(over: extentFiles)
        var mediaSize: size64_t = 0
        guard libvmdk_handle_open_extent_data_files_file_io_pool(handle, extents, nil) == 1,
              libvmdk_handle_get_media_size(handle, &mediaSize, nil) == 1, mediaSize <= UInt64(Int64.max) else {
            throw ItemReadError(status: .corrupt, reason: "the VMDK image's extents could not be opened: damaged")
        }
        size = Int64(mediaSize)
    }

    deinit {
        if handle != nil {
            _ = libvmdk_handle_close(handle, nil)
            libvmdk_handle_free(&handle, nil)
        }
        if let extents { source.free(pool: extents) }
        if let bfio { source.free(bfio) }
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        try MediaRead.read(at: offset, into: buffer, size: size, format: "VMDK") { base, count in
            libvmdk_handle_read_buffer_at_offset(handle, base, count, offset, nil)
        }
    }
}
