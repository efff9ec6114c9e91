import BlindfoldCore

/// Why an image could not be decoded. Reasons name the problem (sizes, the decoder's own short
/// message), never the image's content.
public struct ImageDecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status the item gets for the plugin that asked: `limit`, `corrupt`, `truncated` or
    /// `unsupported`.
    public var status: ItemStatus
    /// One sentence.
    public var reason: String

    /// An error from its parts.
    public init(_ status: ItemStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.rawValue): \(reason)" }

    /// The dimensions exceed the pixel limit: refused before any pixel is decoded.
    static func tooLarge(width: Int, height: Int, limit: Int) -> ImageDecodeError {
        ImageDecodeError(.limit, "\(width)x\(height) pixels exceeds the image pixel limit of \(limit)")
    }

    /// A decoder's own message, cut short and stripped of anything but printable ASCII.
    static func decoderMessage(_ text: String) -> String {
        let printable = text.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
        return String(String.UnicodeScalarView(printable.prefix(120)))
    }
}
