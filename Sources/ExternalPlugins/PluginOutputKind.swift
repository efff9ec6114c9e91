import BlindfoldCore
import Manifest

/// The kinds of value an external plugin may declare for an output key, and the checks a
/// value must pass before it reaches the manifest.
public enum PluginOutputKind: String, Sendable, Hashable, CaseIterable {
    /// Hexadecimal digits, recorded in lower case (at most ``maxEncodedLength`` of them).
    case hex
    /// Standard base64 with padding (RFC 4648 section 4), at most ``maxEncodedLength`` characters.
    case base64
    /// 1 to 256 printable ASCII characters (space to tilde).
    case text
    /// A JSON integer that fits 64 bits (no fraction, no exponent).
    case integer

    /// The longest hex or base64 value accepted: 4096 characters (2 KiB or 3 KiB of binary), room
    /// for PhotoDNA's 144 bytes and for vendors' longer fingerprints, and a bound on manifest lines.
    public static let maxEncodedLength = 4096
    /// The longest text value (the protocol's limit).
    public static let maxTextLength = 256

    /// The value as recorded, or nil when `value` is not of this kind.
    ///
    /// Text values are kept as strings under ``HashValue/hex(_:)``, the manifest's one string
    /// case; their declared kind is in the header.
    public func validate(_ value: JSONValue) -> HashValue? {
        switch (self, value) {
        case (.integer, .int(let number)):
            return Int(exactly: number).map(HashValue.integer)
        case (.hex, .string(let text)):
            guard (1...Self.maxEncodedLength).contains(text.utf8.count),
                Hex.isHex(text.utf8) else { return nil }
            return .hex(text.lowercased())
        case (.base64, .string(let text)):
            guard (1...Self.maxEncodedLength).contains(text.utf8.count), Base64.decode(text) != nil else { return nil }
            return .hex(text)
        case (.text, .string(let text)):
            guard (1...Self.maxTextLength).contains(text.utf8.count),
                text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
            return .hex(text)
        default:
            return nil
        }
    }
}
