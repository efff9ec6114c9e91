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
    /// How many of the first bytes libmagic sees.
    public var headBytes: Int
    /// Run libmagic's text and encoding tests (telling text, CSV, JSON, source code apart).
    public var textTests: Bool

    /// Options from their parts.
    public init(headBytes: Int = 64 << 10, textTests: Bool = true) {
        self.headBytes = headBytes
        self.textTests = textTests
    }
}

/// Identifies items from their first bytes with libmagic. One per worker.
public final class TypeSniffer {
    private let cookie: MagicCookie
    private let mimeFlags: Int32
    private let descriptionFlags: Int32
    /// The options in force.
    public let options: SniffOptions

    /// A sniffer with its own libmagic cookie.
    public init(options: SniffOptions = SniffOptions()) throws(MagicError) {
        // Never decompress, never follow, never let libmagic open anything itself: it only
        // ever sees the bytes the scanner already read.
        var common = MAGIC_NO_CHECK_COMPRESS | MAGIC_RAW
        if !options.textTests {
            common |= MAGIC_NO_CHECK_TEXT | MAGIC_NO_CHECK_ENCODING | MAGIC_NO_CHECK_CSV | MAGIC_NO_CHECK_JSON
        }
        mimeFlags = common | MAGIC_MIME_TYPE
        descriptionFlags = common
        cookie = try MagicCookie(flags: mimeFlags)
        self.options = options
    }

    /// The type of an item whose first bytes are `head` (only `options.headBytes` of them are used).
    public func sniff(_ head: UnsafeRawBufferPointer) -> TypeSignature {
        let bytes = UnsafeRawBufferPointer(rebasing: head.prefix(options.headBytes))
        cookie.setFlags(mimeFlags)
        let mime = cookie.identify(bytes) ?? "application/octet-stream"
        cookie.setFlags(descriptionFlags)
        let description = cookie.identify(bytes) ?? "data"
        return TypeSignature(mime: mime, description: Self.sanitised(description))
    }

    /// Field names after which libmagic prints free text taken from the item (document
    /// properties, comments, labels). Such text is content and never recorded.
    private static let freeTextKeys = [
        "title", "author", "subject", "keywords", "comments", "comment", "last saved by",
        "name of creating application", "template", "label", "creator", "producer", "description",
        "user", "hostname", "from", "to", "volume",
    ]

    /// Removes from libmagic's description everything that may quote the item's own bytes:
    /// quoted strings (JPEG comments, volume labels) and free-text properties (document
    /// titles, authors). What stays is libmagic's own vocabulary: format, version, dimensions.
    static func sanitised(_ description: String) -> String {
        var unquoted = ""
        var closing: Character?
        for character in description {
            if let quote = closing {
                if character == quote { closing = nil }
                continue
            }
            if character == "\"" || character == "'" || character == "`" {
                closing = character
                unquoted += "[text removed]"
                continue
            }
            unquoted.append(character)
        }
        var kept: [String] = []
        for field in unquoted.split(separator: ", ", omittingEmptySubsequences: false) {
            let lowered = field.lowercased().trimmingPrefix(" ")
            let isFreeText = freeTextKeys.contains { key in
                lowered.hasPrefix(key + ":") || lowered.hasPrefix(key + " :") || lowered.hasPrefix(key + "=")
            }
            kept.append(isFreeText ? "[text removed]" : String(field))
        }
        var result = kept.joined(separator: ", ")
        if result.count > 240 { result = String(result.prefix(240)) + "..." }
        return result.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) ? result
            : String(String.UnicodeScalarView(result.unicodeScalars.filter { $0.value >= 0x20 }))
    }
}
