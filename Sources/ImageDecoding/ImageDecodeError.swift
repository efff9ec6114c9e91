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

    /// A library's message reduced to a fixed sentence: libraries quote chunk names, marker
    /// bytes and box types taken from the file, so their text is never passed on; the status
    /// follows from what the message says.
    static func fromLibrary(_ text: String, format: String) -> ImageDecodeError {
        let lower = text.lowercased()
        let ended = ["premature end", "end of file", "end of data", "not enough", "read error", "truncated", "end of stream"]
        if ended.contains(where: { lower.contains($0) }) {
            return ImageDecodeError(.truncated, "\(format): the image data ends early")
        }
        if lower.contains("unsupported") || lower.contains("not supported") || lower.contains("unhandled") {
            return ImageDecodeError(.unsupported, "\(format): a feature the decoder does not support")
        }
        if lower.contains("memory") || lower.contains("too large") || lower.contains("too many") || lower.contains("exceeds") {
            return ImageDecodeError(.limit, "\(format): the image exceeds a decoder limit")
        }
        return ImageDecodeError(.corrupt, "\(format): the image data is damaged")
    }
}
