import BlindfoldCore
import CVHDI

/// A VHD image's media (fixed or dynamic): the thin wrapper around libvhdi, and the only code
/// that touches its pointers. The image file comes in as a libbfio handle over the scanner's
/// read-only input, never as a path. A differencing VHD needs its parent, which is not looked
/// for: it is refused.
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class VHDMedia: RandomAccessInput {
    private let source = BFIOSource()
    private var bfio: UnsafeMutablePointer<Int>?
    private var file: UnsafeMutablePointer<libvhdi_file_t>?

    // Set before anything can fail, so that a failed opening still runs deinit.
    private(set) var size: Int64 = 0
    /// `fixed` or `dynamic`.
    private(set) var imageType = "fixed"

    /// Opens the VHD image in `input`.
    init(input: any RandomAccessInput) throws(ItemReadError) {
        bfio = try source.handle(over: input)
        guard libvhdi_file_initialize(&file, nil) == 1 else {
            throw ItemReadError(status: .unreadable, reason: "the VHD reader could not be set up (out of memory)")
        }
        guard libvhdi_file_open_file_io_handle(file, bfio, Int32(LIBVHDI_ACCESS_FLAG_READ.rawValue), nil) == 1 else {
            throw ItemReadError(status: .unsupported, reason: "libvhdi could not open the VHD image: damaged or not a VHD")
        }
        var type: UInt32 = 0
        var mediaSize: size64_t = 0
        guard libvhdi_file_get_disk_type(file, &type, nil) == 1,
              libvhdi_file_get_media_size(file, &mediaSize, nil) == 1, mediaSize <= UInt64(Int64.max) else {
            throw ItemReadError(status: .corrupt, reason: "the VHD image states no usable type or media size")
        }
        switch type {
        case UInt32(LIBVHDI_DISK_TYPE_FIXED.rawValue): imageType = "fixed"
        case UInt32(LIBVHDI_DISK_TYPE_DYNAMIC.rawValue): imageType = "dynamic"
        default:
            throw ItemReadError(
                status: .unsupported,
                reason: "a differencing VHD: its parent image is needed and is not looked for by this version")
        }
        size = Int64(mediaSize)
    }

    deinit {
        if file != nil {
            _ = libvhdi_file_close(file, nil)
            libvhdi_file_free(&file, nil)
        }
        if let bfio { source.free(bfio) }
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        try MediaRead.read(at: offset, into: buffer, size: size, format: "VHD") { base, count in
            libvhdi_file_read_buffer_at_offset(file, base, count, offset, nil)
        }
    }
}
