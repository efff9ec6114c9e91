import BlindfoldCore
import CVMDK

/// A VMDK image's media: the thin wrapper around libvmdk, and the only code that touches its
/// pointers. Monolithic sparse and stream-optimized images (descriptor and data in one file)
/// are read through libbfio handles over the scanner's read-only input, never a path. A
/// descriptor whose data lives in other files is refused (a flat extent is a raw image and is
/// read as one on its own).
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class VMDKMedia: RandomAccessInput {
    private let source = BFIOSource()
    private var bfio: UnsafeMutablePointer<Int>?
    private var extents: UnsafeMutablePointer<Int>?
    private var handle: UnsafeMutablePointer<libvmdk_handle_t>?

    // Set before anything can fail, so that a failed opening still runs deinit.
    private(set) var size: Int64 = 0
    /// `monolithic-sparse` or `stream-optimized`.
    private(set) var imageType = "monolithic-sparse"

    /// Opens the VMDK image in `input`.
    init(input: any RandomAccessInput) throws(ItemReadError) {
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
        switch type {
        case Int32(LIBVMDK_DISK_TYPE_MONOLITHIC_SPARSE.rawValue): imageType = "monolithic-sparse"
        case Int32(LIBVMDK_DISK_TYPE_STREAM_OPTIMIZED.rawValue): imageType = "stream-optimized"
        default:
            throw ItemReadError(
                status: .unsupported,
                reason: "a VMDK whose data is in other extent files: not read by this version (only monolithic sparse and stream-optimized)")
        }
        guard count == 1 else {
            throw ItemReadError(status: .unsupported, reason: "a VMDK with \(count) extents: not read by this version (only one)")
        }
        // The one extent is this file itself.
        extents = try source.pool(over: [input])
        var mediaSize: size64_t = 0
        guard libvmdk_handle_open_extent_data_files_file_io_pool(handle, extents, nil) == 1,
              libvmdk_handle_get_media_size(handle, &mediaSize, nil) == 1, mediaSize <= UInt64(Int64.max) else {
            throw ItemReadError(status: .corrupt, reason: "the VMDK image's extent could not be opened: damaged")
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
