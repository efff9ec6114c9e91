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
public final class ArchiveReader: Container {
    private let archive: OpaquePointer
    private let input: AnyObject?
    private var entryCount = 0
    /// The current member's declared size when it is sparse: its holes (before, between and
    /// after its data blocks) are produced as zeros, as `bsdtar -x` writes them, so digests
    /// match the extracted file.
    private var sparseSize: Int64?
    /// The current member's hole bytes so far (``Container/sparseHoleBytes``).
    public private(set) var sparseHoleBytes: Int64 = 0
    /// Bytes of the current member produced so far (its logical offset).
    private var produced: Int64 = 0
    /// The data block libarchive handed over and not yet fully copied out.
    private var block: (start: UnsafeRawPointer?, count: Int, offset: Int64, used: Int)?
    private var blocksDone = false
    /// Set once libarchive answered `ARCHIVE_FATAL`: its state is undefined from then on, so it
    /// is asked nothing more (carrying on after a fatal error crashes it on damaged archives).
    private var fatal: ContainerStep?
    /// Names are converted to UTF-8 (see ``ArchiveLocale``).
    private let locale: ArchiveLocale
    /// Warnings libarchive raised about the current member, as notes (see ``ArchiveWarning``).
    public private(set) var memberNotes: [String] = []

    /// A streaming reader pulling blocks from `input`.
    public init(input: any ContainerInput) throws(ItemReadError) {
        let box = InputBox(input)
        let locale = ArchiveLocale()
        self.archive = try locale.run { () throws(ItemReadError) in
            try Self.openReader { archive in
                archive_read_open(archive, Unmanaged.passUnretained(box).toOpaque(), nil, ArchiveCallbacks.read, nil)
            }
        }
        self.input = box
        self.locale = locale
    }

    /// A reader over bytes held in memory (for containers that need random access), with
    /// every built-in format or only one of libarchive's two zip readers (``Readers``).
    ///
    /// `memory` must stay valid and unchanged for the reader's lifetime.
    public init(memory: UnsafeRawBufferPointer, readers: Readers = .all) throws(ItemReadError) {
        let locale = ArchiveLocale()
        self.archive = try locale.run { () throws(ItemReadError) in
            try Self.openReader(readers) { archive in archive_read_open_memory(archive, memory.baseAddress, memory.count) }
        }
        self.input = nil
        self.locale = locale
    }

    /// A reader over `input` from byte `start` on, read where libarchive needs (read, seek
    /// and skip callbacks over ``RandomAccessInput/read(at:into:)``), never held in memory: a
    /// zip on disk read with either of libarchive's zip readers (``Readers``), or bytes in
    /// memory through ``MemoryRandomAccess``.
    public init(random input: any RandomAccessInput, start: Int64 = 0, readers: Readers = .all) throws(ItemReadError) {
        let source = ArchiveRandomSource(input, start: start)
        let locale = ArchiveLocale()
        self.archive = try locale.run { () throws(ItemReadError) in
            try Self.openReader(readers) { archive in
                let context = Unmanaged.passUnretained(source).toOpaque()
                guard archive_read_set_read_callback(archive, ArchiveRandomCallbacks.read) == ARCHIVE_OK,
                      archive_read_set_seek_callback(archive, ArchiveRandomCallbacks.seek) == ARCHIVE_OK,
                      archive_read_set_skip_callback(archive, ArchiveRandomCallbacks.skip) == ARCHIVE_OK,
                      archive_read_set_callback_data(archive, context) == ARCHIVE_OK
                else { return ARCHIVE_FATAL }
                return archive_read_open1(archive)
            }
        }
        self.input = source
        self.locale = locale
    }

    /// A new reader with `readers` enabled, opened by `open`; freed again on failure.
    private static func openReader(
        _ readers: Readers = .all, _ open: (OpaquePointer) -> Int32
    ) throws(ItemReadError) -> OpaquePointer {
        guard let archive = archive_read_new() else {
            throw ItemReadError(status: .unreadable, reason: "libarchive could not allocate a reader")
        }
        guard Self.enable(readers, on: archive) else {
            archive_read_free(archive)
            throw Self.externalProgramRefusal
        }
        guard open(archive) == ARCHIVE_OK else {
            let reason = Self.message(archive)
            archive_read_free(archive)
            throw ItemReadError(status: .corrupt, reason: "not readable as an archive (\(Self.reasonText(reason)))")
        }
        return archive
    }

    deinit { archive_read_free(archive) }

    private static let externalProgramRefusal = ItemReadError(
        status: .unsupported,
        reason: "this libarchive would run an external decompressor; archives are not opened with it")

    /// The next member, the end, or why the archive cannot be read further.
    public func next() -> ContainerStep {
        locale.run { nextInLocale() }
    }

    private func nextInLocale() -> ContainerStep {
        if let fatal { return fatal }
        memberNotes = []
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
            if result == ARCHIVE_WARN { warn() }
            produced = 0
            sparseHoleBytes = 0
            block = nil
            blocksDone = false
            sparseSize = archive_entry_sparse_count(entry) > 0 && archive_entry_size_is_set(entry) != 0
                ? Int64(archive_entry_size(entry)) : nil
            return .entry(describe(entry))
        default:
            let reason = Self.message(archive)
            let failure = ContainerStep.failure(
                Self.status(for: reason), "archive ends in error after \(entryCount) members (\(Self.reasonText(reason)))")
            fatal = failure
            return failure
        }
    }

    /// Reads the current member's next bytes; 0 at its end.
    ///
    /// Works on libarchive's data blocks, which carry their offsets: a gap before a block (a
    /// hole in a sparse member) and the gap between the last block and the declared size are
    /// produced as zeros.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        try locale.run { () throws(ItemReadError) in try readDataInLocale(into: buffer) }
    }

    /// Records libarchive's last warning as a note on the current member (once per kind).
    private func warn() {
        let note = ArchiveWarning(message: Self.message(archive)).note
        if !memberNotes.contains(note) { memberNotes.append(note) }
    }

    private func readDataInLocale(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        while true {
            if let current = block {
                if current.offset > produced {
                    // A hole before this block.
                    return zeros(Int(min(Int64(buffer.count), current.offset - produced)), into: buffer)
                }
                let remaining = current.count - current.used
                if remaining > 0, let start = current.start {
                    let count = min(remaining, buffer.count)
                    buffer.baseAddress?.copyMemory(from: start.advanced(by: current.used), byteCount: count)
                    block = (current.start, current.count, current.offset, current.used + count)
                    produced += Int64(count)
                    return count
                }
                block = nil
            }
            if blocksDone {
                // Only a sparse member's trailing hole is filled: a plain member that ends before
                // its declared size ends there (a lying size is never padded out).
                guard let size = sparseSize, produced < size else { return 0 }
                return zeros(Int(min(Int64(buffer.count), size - produced)), into: buffer)
            }
            var start: UnsafeRawPointer?
            var count = 0
            var offset: la_int64_t = 0
            let result = archive_read_data_block(archive, &start, &count, &offset)
            switch result {
            case ARCHIVE_EOF:
                blocksDone = true
            case ARCHIVE_OK, ARCHIVE_WARN:
                if result == ARCHIVE_WARN { warn() }
                guard Int64(offset) >= produced else {
                    throw ItemReadError(status: .corrupt, reason: "member data blocks out of order")
                }
                block = (start, count, Int64(offset), 0)
            default:
                let reason = Self.message(archive)
                let status = Self.status(for: reason)
                if result == ARCHIVE_FATAL {
                    fatal = .failure(status, "archive ends in error after \(entryCount) members (\(Self.reasonText(reason)))")
                }
                throw ItemReadError(status: status, reason: "member data could not be read (\(Self.reasonText(reason)))")
            }
        }
    }

    private func zeros(_ count: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        buffer.baseAddress?.initializeMemory(as: UInt8.self, repeating: 0, count: count)
        produced += Int64(count)
        sparseHoleBytes += Int64(count)
        return count
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

    /// Enables the built-in filters and formats. libarchive answers `ARCHIVE_WARN` for a
    /// filter it would run through an external program (when built without that library); such
    /// a reader is refused, so evidence never goes through a program found on PATH.
    private static func enable(_ readers: Readers, on archive: OpaquePointer) -> Bool {
        switch readers {
        case .all: break
        case .zipLocalHeaders: return archive_read_support_format_zip_streamable(archive) == ARCHIVE_OK
        case .zipCentralDirectory: return archive_read_support_format_zip_seekable(archive) == ARCHIVE_OK
        }
        for filter in [
            archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
            archive_read_support_filter_lzma, archive_read_support_filter_lzip, archive_read_support_filter_zstd,
            archive_read_support_filter_lz4, archive_read_support_filter_compress, archive_read_support_filter_uu,
            archive_read_support_filter_rpm,
        ] where filter(archive) != ARCHIVE_OK {
            return false
        }
        for format in [
            archive_read_support_format_tar, archive_read_support_format_gnutar, archive_read_support_format_zip_streamable,
            archive_read_support_format_7zip, archive_read_support_format_rar, archive_read_support_format_rar5,
            archive_read_support_format_iso9660, archive_read_support_format_cpio, archive_read_support_format_ar,
            archive_read_support_format_cab, archive_read_support_format_xar, archive_read_support_format_lha,
            archive_read_support_format_warc, archive_read_support_format_raw, archive_read_support_format_empty,
        ] {
            _ = format(archive)
        }
        // LHA headers without a charset extension hold Shift_JIS names in practice (LHA is a
        // Japanese format; ASCII is a subset). A header's own UTF-16 or code-page extension
        // still wins. Without this, such names end the archive as `corrupt`.
        _ = archive_read_set_option(archive, "lha", "hdrcharset", "CP932")
        return true
    }

    private func describe(_ entry: OpaquePointer) -> ContainerEntry {
        let name = memberName(entry)
        let hardLink = Self.bytes(archive_entry_hardlink_utf8(entry)) ?? Self.bytes(archive_entry_hardlink(entry))
        var kind = ItemKind(fileTypeBits: archive_entry_filetype(entry))
        if kind == .other, hardLink != nil { kind = .file }
        return ContainerEntry(
            name: name, kind: kind,
            declaredSize: archive_entry_size_is_set(entry) != 0 ? Int64(archive_entry_size(entry)) : nil,
            mtime: archive_entry_mtime_is_set(entry) != 0
                ? Timestamp(seconds: Int64(archive_entry_mtime(entry)), nanoseconds: Int32(archive_entry_mtime_nsec(entry)))
                : nil,
            linkTarget: hardLink ?? Self.bytes(archive_entry_symlink_utf8(entry)) ?? Self.bytes(archive_entry_symlink(entry)),
            isHardLink: hardLink != nil,
            isEncrypted: archive_entry_is_data_encrypted(entry) == 1)
    }

    /// The member's name: UTF-8 when libarchive can convert it, else the bytes as stored (a tar
    /// or zip name in no declared charset, kept byte for byte), else, when libarchive dropped
    /// a name it could not convert, a placeholder that no archive stores (with the note saying so).
    private func memberName(_ entry: OpaquePointer) -> PathBytes {
        if let utf8 = Self.bytes(archive_entry_pathname_utf8(entry)) { return utf8 }
        if let stored = Self.bytes(archive_entry_pathname(entry)) { return stored }
        guard memberNotes.contains(ArchiveWarning.nameNotConvertible.note) else { return PathBytes([]) }
        return PathBytes(Self.undecodableName(entryCount))
    }

    /// The name recorded for member `index` (1-based) when its stored name is lost.
    public static func undecodableName(_ index: Int) -> String { "<undecodable name #\(index)>" }

    private static func bytes(_ pointer: UnsafePointer<CChar>?) -> PathBytes? {
        guard let pointer else { return nil }
        return PathBytes(Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))))
    }

    /// libarchive's message, whole: for classifying it (``status(for:)``, ``ArchiveWarning``),
    /// never for a record. Use ``reasonText(_:)`` for what is written.
    private static func message(_ archive: OpaquePointer) -> String {
        guard let text = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(cString: text)
    }

    /// The part of a libarchive message that may be recorded: its sentence up to the first
    /// `:`, `(`, quote (an apostrophe inside a word is kept) or non-printable-ASCII character.
    /// Several of libarchive's messages end in text taken from the archive (an ISO9660 file
    /// name in "Directory is beyond end-of-media: NAME", "Ignoring out-of-order file (NAME)", a
    /// XAR's XML parser message after "XML Parsing error:"); what comes before is libarchive's
    /// own wording.
    static func reasonText(_ message: String) -> String {
        let stops: Set<UInt8> = [UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: "\""), UInt8(ascii: "`")]
        let bytes = Array(message.utf8)
        func isLetter(_ index: Int) -> Bool {
            bytes.indices.contains(index) && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[index] | 0x20)
        }
        var end = 0
        while end < bytes.count, end < 160 {
            let byte = bytes[end]
            guard byte >= 0x20, byte < 0x7F, !stops.contains(byte) else { break }
            // An apostrophe inside a word ("Couldn't") is libarchive's; one that opens a quote is not.
            if byte == UInt8(ascii: "'"), !(isLetter(end - 1) && isLetter(end + 1)) { break }
            end += 1
        }
        let text = bytes[..<end].drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
        return text.isEmpty ? "libarchive error" : String(decoding: text, as: UTF8.self)
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
        if lowered.contains("unsupported") || lowered.contains("not supported") || lowered.contains("codec id") { return .unsupported }
        return .corrupt
    }
}

extension ArchiveReader {
    /// The readers a reader enables.
    public enum Readers: Sendable {
        /// Every built-in format and filter (zip through its local headers, front to back).
        case all
        /// Only the zip reader that walks the local headers front to back (libarchive's
        /// "streamable" zip reader), no filters.
        case zipLocalHeaders
        /// Only the zip reader that lists the central directory and seeks to each member
        /// (libarchive's "seekable" zip reader; it finds a directory shifted by bytes put in
        /// front of the zip, as self-extracting archives are), no filters. Needs random access.
        case zipCentralDirectory
    }
}

/// Keeps the input alive while libarchive holds a raw pointer to it.
private final class InputBox {
    let input: any ContainerInput
    init(_ input: any ContainerInput) { self.input = input }
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
