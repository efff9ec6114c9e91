import BlindfoldCore
import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// One libarchive read handle: the only code that touches `struct archive *`.
///
/// Only built-in formats and filters are enabled. Deliberately left out: mtree (its entries
/// name files on the local disk, which libarchive would open) and filters that run external
/// programs (lrzip, lzop, grzip). Nothing is ever written: members are read into the caller's
/// buffer.
public final class ArchiveReader {
    private let archive: OpaquePointer
    private let input: AnyObject?
    private var entryCount = 0

    /// A streaming reader pulling blocks from `input`.
    public init(input: any ArchiveInput) throws(ItemReadError) {
        let box = InputBox(input)
        guard let archive = archive_read_new() else {
            throw ItemReadError(status: .unreadable, reason: "libarchive could not allocate a reader")
        }
        Self.enableFormats(archive)
        let opened = archive_read_open(
            archive, Unmanaged.passUnretained(box).toOpaque(), nil, ArchiveCallbacks.read, nil)
        guard opened == ARCHIVE_OK else {
            let reason = Self.message(archive)
            archive_read_free(archive)
            throw ItemReadError(status: .corrupt, reason: "not readable as an archive (\(reason))")
        }
        self.archive = archive
        self.input = box
    }

    /// A reader over bytes held in memory (for containers that need random access).
    ///
    /// `memory` must stay valid and unchanged for the reader's lifetime.
    public init(memory: UnsafeRawBufferPointer) throws(ItemReadError) {
        guard let archive = archive_read_new() else {
            throw ItemReadError(status: .unreadable, reason: "libarchive could not allocate a reader")
        }
        Self.enableFormats(archive)
        guard archive_read_open_memory(archive, memory.baseAddress, memory.count) == ARCHIVE_OK else {
            let reason = Self.message(archive)
            archive_read_free(archive)
            throw ItemReadError(status: .corrupt, reason: "not readable as an archive (\(reason))")
        }
        self.archive = archive
        self.input = nil
    }

    deinit { archive_read_free(archive) }

    /// The next member, the end, or why the archive cannot be read further.
    public func next() -> ArchiveStep {
        var entry: OpaquePointer?
        let result = archive_read_next_header(archive, &entry)
        switch result {
        case ARCHIVE_EOF:
            if entryCount == 0 && !isRecognisedArchive {
                return .failure(.corrupt, "no archive format recognised in the content")
            }
            return .end
        case ARCHIVE_OK, ARCHIVE_WARN:
            guard let entry else { return .failure(.corrupt, "libarchive returned no header") }
            if entryCount == 0 && !isRecognisedArchive {
                return .failure(.corrupt, "no archive format recognised in the content")
            }
            entryCount += 1
            return .entry(Self.describe(entry))
        default:
            let reason = Self.message(archive)
            return .failure(Self.status(for: reason), "archive ends in error after \(entryCount) members (\(reason))")
        }
    }

    /// Reads the current member's next bytes; 0 at its end.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
        if count >= 0 { return count }
        let reason = Self.message(archive)
        throw ItemReadError(status: Self.status(for: reason), reason: "member data could not be read (\(reason))")
    }

    /// The container format in the manifest's vocabulary (`zip`, `tar`, `gzip`, `tar.gz`, `7z`, ...).
    public var formatName: String {
        let base: String
        switch archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK {
        case ARCHIVE_FORMAT_ZIP: base = "zip"
        case ARCHIVE_FORMAT_TAR: base = "tar"
        case ARCHIVE_FORMAT_7ZIP: base = "7z"
        case ARCHIVE_FORMAT_RAR: base = "rar"
        case ARCHIVE_FORMAT_RAR_V5: base = "rar5"
        case ARCHIVE_FORMAT_ISO9660: base = "iso9660"
        case ARCHIVE_FORMAT_CPIO: base = "cpio"
        case ARCHIVE_FORMAT_AR: base = "ar"
        case ARCHIVE_FORMAT_CAB: base = "cab"
        case ARCHIVE_FORMAT_XAR: base = "xar"
        case ARCHIVE_FORMAT_LHA: base = "lha"
        case ARCHIVE_FORMAT_WARC: base = "warc"
        case ARCHIVE_FORMAT_RAW: base = "raw"
        case ARCHIVE_FORMAT_EMPTY: base = "empty"
        default: base = "unknown"
        }
        let filters = compressionFilters
        if base == "raw" { return filters.first ?? "raw" }
        return ([base] + filters).joined(separator: ".")
    }

    /// Compression filters from the outermost in (`gz`, `bz2`, `xz`, ...); empty when none.
    private var compressionFilters: [String] {
        var names: [String] = []
        let count = archive_filter_count(archive)
        guard count > 1 else { return [] }
        for index in stride(from: count - 2, through: 0, by: -1) {
            switch archive_filter_code(archive, index) {
            case ARCHIVE_FILTER_GZIP: names.append("gz")
            case ARCHIVE_FILTER_BZIP2: names.append("bz2")
            case ARCHIVE_FILTER_XZ: names.append("xz")
            case ARCHIVE_FILTER_LZMA: names.append("lzma")
            case ARCHIVE_FILTER_ZSTD: names.append("zst")
            case ARCHIVE_FILTER_LZ4: names.append("lz4")
            case ARCHIVE_FILTER_LZIP: names.append("lz")
            case ARCHIVE_FILTER_COMPRESS: names.append("Z")
            case ARCHIVE_FILTER_UU: names.append("uu")
            case ARCHIVE_FILTER_RPM: names.append("rpm")
            default: names.append("filtered")
            }
        }
        return names.reversed()
    }

    /// A raw stream without a compression filter is any file at all, not an archive.
    private var isRecognisedArchive: Bool {
        let format = archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK
        if format == ARCHIVE_FORMAT_RAW { return archive_filter_count(archive) > 1 }
        return true
    }

    private static func enableFormats(_ archive: OpaquePointer) {
        for enable in [
            archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
            archive_read_support_filter_lzma, archive_read_support_filter_lzip, archive_read_support_filter_zstd,
            archive_read_support_filter_lz4, archive_read_support_filter_compress, archive_read_support_filter_uu,
            archive_read_support_filter_rpm,
            archive_read_support_format_tar, archive_read_support_format_gnutar, archive_read_support_format_zip_streamable,
            archive_read_support_format_7zip, archive_read_support_format_rar, archive_read_support_format_rar5,
            archive_read_support_format_iso9660, archive_read_support_format_cpio, archive_read_support_format_ar,
            archive_read_support_format_cab, archive_read_support_format_xar, archive_read_support_format_lha,
            archive_read_support_format_warc, archive_read_support_format_raw, archive_read_support_format_empty,
        ] {
            _ = enable(archive)
        }
    }

    private static func describe(_ entry: OpaquePointer) -> ArchiveEntry {
        let name = bytes(archive_entry_pathname(entry)) ?? bytes(archive_entry_pathname_utf8(entry)) ?? PathBytes([])
        let hardLink = bytes(archive_entry_hardlink(entry))
        var kind = ItemKind(fileTypeBits: archive_entry_filetype(entry))
        if kind == .other, hardLink != nil { kind = .file }
        return ArchiveEntry(
            name: name, kind: kind,
            declaredSize: archive_entry_size_is_set(entry) != 0 ? Int64(archive_entry_size(entry)) : nil,
            mtime: archive_entry_mtime_is_set(entry) != 0
                ? Timestamp(seconds: Int64(archive_entry_mtime(entry)), nanoseconds: Int32(archive_entry_mtime_nsec(entry)))
                : nil,
            linkTarget: hardLink ?? bytes(archive_entry_symlink(entry)),
            isHardLink: hardLink != nil,
            isEncrypted: archive_entry_is_data_encrypted(entry) == 1)
    }

    private static func bytes(_ pointer: UnsafePointer<CChar>?) -> PathBytes? {
        guard let pointer else { return nil }
        return PathBytes(Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))))
    }

    private static func message(_ archive: OpaquePointer) -> String {
        guard let text = archive_error_string(archive) else { return "unknown libarchive error" }
        // libarchive's messages name offsets and sizes, never member content; cap the length anyway.
        return String(String(cString: text).prefix(200))
    }

    /// Maps libarchive's message to the status word the manifest uses.
    static func status(for message: String) -> ItemStatus {
        let lowered = message.lowercased()
        if lowered.contains("truncated") || lowered.contains("premature end") || lowered.contains("unexpected end") {
            return .truncated
        }
        if lowered.contains("encrypt") || lowered.contains("passphrase") || lowered.contains("password") {
            return .encrypted
        }
        if lowered.contains("unsupported") || lowered.contains("not supported") { return .unsupported }
        return .corrupt
    }
}

/// Keeps the input alive while libarchive holds a raw pointer to it.
private final class InputBox {
    let input: any ArchiveInput
    init(_ input: any ArchiveInput) { self.input = input }
}

/// libarchive's C callbacks; they reach the Swift input through the context pointer.
private enum ArchiveCallbacks {
    static let read: @convention(c) (
        OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?
    ) -> la_ssize_t = { archive, context, block in
        guard let context, let block else { return -1 }
        let box = Unmanaged<InputBox>.fromOpaque(context).takeUnretainedValue()
        do {
            let chunk = try box.input.nextBlock()
            block.pointee = chunk.baseAddress
            return chunk.count
        } catch let error as ItemReadError {
            carchive_set_error(archive, EIO, "upstream \(error.status.rawValue): \(error.reason)")
            return -1
        } catch {
            carchive_set_error(archive, EIO, "upstream read failed")
            return -1
        }
    }
}
