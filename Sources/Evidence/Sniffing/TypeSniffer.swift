import BlindfoldCore
import CMagic

/// What libmagic says an item is.
public struct TypeSignature: Sendable, Hashable {
    /// The MIME type (`image/jpeg`).
    public var mime: String
    /// The human description (`JPEG image data, JFIF standard 1.01, ...`).
    public var description: String
}

/// How much work libmagic does per item.
public struct SniffOptions: Sendable, Hashable {
    /// Preset trade-offs between libmagic's fidelity and its speed (measured in docs/PERFORMANCE.md).
    public enum Profile: String, Sendable, Hashable, CaseIterable {
        /// Text tests only for heads that look like text, regex rules searching 1 KiB, encoding
        /// detection over 16 KiB: the same answers as `full` on the benchmark corpus, faster.
        case standard
        /// libmagic's own defaults for everything (what `file` answers).
        case full
        /// No text tests at all: text, CSV, JSON, HTML and XML are reported as data.
        case binaryOnly = "binary-only"
    }

    /// How many of the first bytes libmagic sees.
    public var headBytes: Int
    /// The trade-off.
    public var profile: Profile

    /// Options from their parts.
    public init(headBytes: Int = 64 << 10, profile: Profile = .standard) {
        self.headBytes = headBytes
        self.profile = profile
    }
}

/// Identifies items from their first bytes with libmagic. One per worker.
///
/// libmagic's text tests (encoding detection, CSV, JSON) cost about two thirds of its time
/// and only ever answer for text. So the sniffer runs them only for items whose head looks like
/// text (no NUL byte in the first 8 KiB, or a UTF-16/32 byte-order mark, or the alternating
/// NULs of BOM-less UTF-16) and runs the binary-only configuration on the rest. On the
/// benchmark corpus this gives the same MIME type and description as the full configuration
/// for every one of 100,000 files, at a fraction of the cost (docs/PERFORMANCE.md).
public final class TypeSniffer {
    private struct Flags {
        var mime: Int32
        var description: Int32
    }

    private let cookie: MagicCookie
    private let binaryFlags: Flags
    private let textFlags: Flags
    /// The options in force.
    public let options: SniffOptions
    /// Filtered descriptions by raw description (in memory only, never written).
    private var filtered: [String: String] = [:]

    /// A sniffer with its own libmagic cookie.
    public init(options: SniffOptions = SniffOptions()) throws(MagicError) {
        // Never decompress and never let libmagic open anything itself: it only ever sees
        // the bytes the scanner already read.
        let common = MAGIC_NO_CHECK_COMPRESS | MAGIC_RAW
        let noText = MAGIC_NO_CHECK_TEXT | MAGIC_NO_CHECK_ENCODING | MAGIC_NO_CHECK_CSV | MAGIC_NO_CHECK_JSON
        let withText = Flags(mime: common | MAGIC_MIME_TYPE, description: common)
        switch options.profile {
        case .standard:
            binaryFlags = Flags(mime: common | noText | MAGIC_MIME_TYPE, description: common | noText)
            textFlags = withText
        case .full:
            binaryFlags = withText
            textFlags = withText
        case .binaryOnly:
            binaryFlags = Flags(mime: common | noText | MAGIC_MIME_TYPE, description: common | noText)
            textFlags = binaryFlags
        }
        cookie = try MagicCookie(flags: binaryFlags.mime)
        if options.profile == .standard {
            // libmagic's regex rules search 8 KiB of text by default; 1 KiB answers the same
            // on the benchmark corpus at about two thirds of the cost.
            cookie.setParameter(MAGIC_PARAM_REGEX_MAX, to: 1024)
            cookie.setParameter(MAGIC_PARAM_ENCODING_MAX, to: 16 << 10)
        }
        self.options = options
    }

    /// The type of an item whose first bytes are `head` (only `options.headBytes` of them are used).
    public func sniff(_ head: UnsafeRawBufferPointer) -> TypeSignature {
        let bytes = UnsafeRawBufferPointer(rebasing: head.prefix(options.headBytes))
        let textual = Self.looksLikeText(bytes)
        let flags = textual ? textFlags : binaryFlags
        cookie.setFlags(flags.description)
        let answer = cookie.identify(bytes)
        let description = answer ?? "data"
        let mime: String
        if options.profile != .full && answer == "data" {
            // No test of libmagic's claimed the item (no soft-magic rule with a description
            // matched, and the tar, CDF, ELF and enabled text tests failed): the MIME pass runs
            // the same tests on the same bytes in the same order, so it ends in libmagic's
            // default too. Checked on all 100,000 files of the benchmark corpus
            // (docs/PERFORMANCE.md); a fifth of them are such files, and their MIME pass is
            // the costliest (every rule is tried).
            mime = "application/octet-stream"
        } else {
            // When the text tests alone explained the item (no soft-magic rule matched, so the
            // description is one of their own phrases), the MIME type follows from them too, and
            // the soft-magic rules (most of a text file's cost) need not run a second time.
            let genericText = options.profile == .standard && textual
                && Self.textTestPhrases.contains { description.hasPrefix($0) }
            cookie.setFlags(genericText ? flags.mime | MAGIC_NO_CHECK_SOFT : flags.mime)
            mime = cookie.identify(bytes) ?? "application/octet-stream"
        }
        return TypeSignature(mime: mime, description: filteredDescription(description))
    }

    /// ``sanitised(_:)``, remembered per raw description: items of one kind share their
    /// descriptions, and the filter is a pure function of the text. Bounded: cleared when full.
    private func filteredDescription(_ description: String) -> String {
        if let known = filtered[description] { return known }
        let result = Self.sanitised(description)
        if filtered.count >= Self.filteredLimit { filtered.removeAll(keepingCapacity: true) }
        filtered[description] = result
        return result
    }

    /// Raw descriptions remembered at most (a few hundred KiB).
    private static let filteredLimit = 2048

    /// Descriptions that libmagic's built-in text, CSV and JSON tests produce by themselves.
    static let textTestPhrases = [
        "ASCII text", "UTF-8 Unicode text", "Unicode text, UTF-8", "UTF-8 text", "ISO-8859 text",
        "Non-ISO extended-ASCII text", "CSV text", "CSV ASCII text", "JSON text data", "JSON data", "very short file",
        "empty",
    ]

    /// True when the head could be text in some encoding libmagic's text tests know.
    static func looksLikeText(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let window = bytes.prefix(8192)
        if !window.contains(0) { return true }
        // Byte-order marks of UTF-16 (FF FE, FE FF) and UTF-32 (FF FE 00 00, 00 00 FE FF).
        if window.starts(with: [0xFF, 0xFE]) || window.starts(with: [0xFE, 0xFF])
            || window.starts(with: [0x00, 0x00, 0xFE, 0xFF])
        {
            return true
        }
        // BOM-less UTF-16: one byte in every pair is NUL throughout the first 512 bytes.
        let sample = Array(window.prefix(512))
        guard sample.count >= 16 else { return false }
        let evenNul = stride(from: 0, to: sample.count - 1, by: 2).allSatisfy { sample[$0] == 0 }
        let oddNul = stride(from: 1, to: sample.count, by: 2).allSatisfy { sample[$0] == 0 }
        return evenNul || oddNul
    }

    /// Removes from libmagic's description everything that may quote the item's own bytes:
    /// only the type phrase and fields from a closed vocabulary of libmagic's own phrases are
    /// kept (``DescriptionFilter``).
    static func sanitised(_ description: String) -> String {
        DescriptionFilter.filtered(description)
    }
}
