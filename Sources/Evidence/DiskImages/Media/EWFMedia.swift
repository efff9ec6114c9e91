import BlindfoldCore
import CEWF

/// An EnCase (EWF/E01) image's media: the thin wrapper around libewf, and the only code that
/// touches its pointers. The segment files come in as a libbfio pool over the scanner's
/// read-only inputs, never as paths.
///
/// Header values are read only by name, and only those that are not free text (see
/// ``acquisition()``); libewf's error objects are never asked for (they can quote names).
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class EWFMedia: RandomAccessInput {
    private let source = BFIOSource()
    private let pool: UnsafeMutablePointer<Int>
    private var handle: UnsafeMutablePointer<libewf_handle_t>?

    // Set before anything can fail, so that a failed opening still runs deinit.
    private(set) var size: Int64 = 0
    /// Bytes per sector, as the image states it.
    private(set) var bytesPerSector = 512

    /// Opens the image whose segment files are `segments`, in order (the `.E01` first).
    init(segments: [any RandomAccessInput]) throws(ItemReadError) {
        pool = try source.pool(over: segments)
        var opened: UnsafeMutablePointer<libewf_handle_t>?
        guard libewf_handle_initialize(&opened, nil) == 1, let opened else {
            throw ItemReadError(status: .unreadable, reason: "the EWF reader could not be set up (out of memory)")
        }
        handle = opened
        guard libewf_handle_open_file_io_pool(opened, pool, Int32(LIBEWF_ACCESS_FLAG_READ.rawValue), nil) == 1 else {
            throw ItemReadError(
                status: .unsupported,
                reason: "libewf could not open the EWF image from its \(segments.count) segment file(s): damaged, or segments missing")
        }
        _ = libewf_handle_set_header_values_date_format(opened, Int32(LIBEWF_DATE_FORMAT_ISO8601.rawValue), nil)
        var mediaSize: size64_t = 0
        var sector: UInt32 = 0
        guard libewf_handle_get_media_size(opened, &mediaSize, nil) == 1,
              libewf_handle_get_bytes_per_sector(opened, &sector, nil) == 1, mediaSize <= UInt64(Int64.max) else {
            throw ItemReadError(status: .corrupt, reason: "the EWF image states no usable media size")
        }
        size = Int64(mediaSize)
        bytesPerSector = Int(sector)
    }

    deinit {
        // Also after a failed opening: the pool is made first, the handle may be nil.
        if handle != nil {
            _ = libewf_handle_close(handle, nil)
            libewf_handle_free(&handle, nil)
        }
        source.free(pool: pool)
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        try MediaRead.read(at: offset, into: buffer, size: size, format: "EWF") { base, count in
            libewf_handle_read_random(handle, base, count, offset, nil)
        }
    }

    /// The acquisition facts that are not free text: case and evidence numbers (the
    /// examiner's labels: control characters dropped, at most 256 bytes), the two dates and
    /// the software version (kept only when made of digits, letters and `.:- T`), and the
    /// compression level. Notes, description, examiner name, operating system and password
    /// are never read.
    func acquisition() -> ImageFacts.Acquisition {
        var level: Int8 = 0
        var flags: UInt8 = 0
        var compression: String?
        if libewf_handle_get_compression_values(handle, &level, &flags, nil) == 1 {
            compression = switch Int32(level) {
            case Int32(LIBEWF_COMPRESSION_NONE.rawValue): "none"
            case Int32(LIBEWF_COMPRESSION_FAST.rawValue): "fast"
            case Int32(LIBEWF_COMPRESSION_BEST.rawValue): "best"
            default: nil
            }
        }
        return ImageFacts.Acquisition(
            caseNumber: headerValue("case_number").flatMap(Self.label),
            evidenceNumber: headerValue("evidence_number").flatMap(Self.label),
            acquiryDate: headerValue("acquiry_date").flatMap(Self.plain),
            systemDate: headerValue("system_date").flatMap(Self.plain),
            softwareVersion: headerValue("acquiry_software_version").flatMap(Self.plain),
            compression: compression)
    }

    /// The stored media digests, lower-case hex; nil where the image stores none.
    func storedDigests() -> (md5: String?, sha1: String?) {
        var md5 = [UInt8](repeating: 0, count: 16)
        var sha1 = [UInt8](repeating: 0, count: 20)
        let hasMD5 = libewf_handle_get_md5_hash(handle, &md5, md5.count, nil) == 1
        let hasSHA1 = libewf_handle_get_sha1_hash(handle, &sha1, sha1.count, nil) == 1
        return (hasMD5 ? Hex.string(md5) : nil, hasSHA1 ? Hex.string(sha1) : nil)
    }

    /// True when libewf found the segment files damaged or incomplete (a truncated set); what
    /// it reads of the missing parts is not the acquired media.
    var segmentsDamaged: Bool { libewf_handle_segment_files_corrupted(handle, nil) == 1 }

    /// Chunks whose checksum failed in the reads so far.
    var checksumErrors: Int {
        var count: UInt32 = 0
        return libewf_handle_get_number_of_checksum_errors(handle, &count, nil) == 1 ? Int(count) : 0
    }

    private func headerValue(_ identifier: String) -> String? {
        // libewf compares the terminating NUL too: without it only some names are found.
        let name = Array(identifier.utf8) + [0]
        var value = [UInt8](repeating: 0, count: 512)
        let capacity = value.count
        let found = libewf_handle_get_utf8_header_value(handle, name, name.count - 1, &value, capacity, nil)
        guard found == 1, let end = value.firstIndex(of: 0), end > 0 else { return nil }
        return String(decoding: value[..<end], as: UTF8.self)
    }

    /// An examiner's label: control characters dropped, at most 256 bytes.
    private static func label(_ text: String) -> String? {
        var kept = String(String.UnicodeScalarView(text.unicodeScalars.filter {
            !($0.properties.generalCategory == .control || $0.properties.generalCategory == .format)
        }))
        while kept.utf8.count > 256 { kept.removeLast() }
        return kept.isEmpty ? nil : kept
    }

    /// A tool-written value (a date, a version): kept only when it is plain.
    private static func plain(_ text: String) -> String? {
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.:- T".utf8)
        guard !text.isEmpty, text.utf8.count <= 64, text.utf8.allSatisfy(allowed.contains) else { return nil }
        return text
    }
}
