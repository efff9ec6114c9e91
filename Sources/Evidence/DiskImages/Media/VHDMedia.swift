import BlindfoldCore
import CVHDI

/// A VHD image's media (fixed, dynamic or differencing): the thin wrapper around libvhdi, and
/// the only code that touches its pointers. The image file comes in as a libbfio handle over the
/// scanner's read-only input, never as a path. A differencing VHD is read through its parents,
/// which the scanner found beside it (``VHDParentLink``) and handed over with it; without them
/// it is refused.
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class VHDMedia: RandomAccessInput {
    private let source = BFIOSource()
    private var bfio: UnsafeMutablePointer<Int>?
    private var file: UnsafeMutablePointer<libvhdi_file_t>?
    /// A differencing image's parent, which libvhdi reads through; released after this image
    /// is closed (a stored property outlives `deinit`'s body).
    private var parent: VHDMedia?

    // Set before anything can fail, so that a failed opening still runs deinit.
    private(set) var size: Int64 = 0
    /// `fixed`, `dynamic` or `differencing`.
    private(set) var imageType = "fixed"
    /// The images read: 1, or a differencing image and its parents.
    private(set) var chainLength = 1

    /// Opens the VHD image that starts `chain`; the images after it are its parent, the
    /// parent's parent, and so on (``VHDParentLink/chain(from:)``).
    init(chain: [any RandomAccessInput]) throws(ItemReadError) {
        guard let input = chain.first else {
            throw ItemReadError(status: .unreadable, reason: "no file of the image was handed over")
        }
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
            imageType = "differencing"
            try attachParent(Array(chain.dropFirst()))
        }
        size = Int64(mediaSize)
    }

    private func attachParent(_ parents: [any RandomAccessInput]) throws(ItemReadError) {
        guard !parents.isEmpty else {
            throw ItemReadError(
                status: .unsupported,
                reason: "a differencing VHD whose parent image is not beside it under the name it states, "
                    + "or does not carry the identifier it states")
        }
        let opened: VHDMedia
        do throws(ItemReadError) {
            opened = try VHDMedia(chain: parents)
        } catch {
            throw ItemReadError(status: error.status, reason: "the parent of the differencing VHD: \(error.reason)")
        }
        guard libvhdi_file_set_parent_file(file, opened.file, nil) == 1 else {
            throw ItemReadError(status: .corrupt, reason: "libvhdi did not accept the parent image of the differencing VHD")
        }
        parent = opened
        chainLength = 1 + opened.chainLength
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
