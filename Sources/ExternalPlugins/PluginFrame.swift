/// The framing of `blindfold-plugin/1`: a 4-byte unsigned big-endian length, then that many
/// bytes (a JSON object, or raw content inside an item); a zero-length frame ends an item's
/// content.
public enum PluginFrame {
    /// The largest frame either side may send.
    public static let maxLength = 16 << 20
    /// The largest content frame the scanner sends.
    public static let contentChunk = 1 << 20
    /// The protocol's name in the scanner's hello.
    public static let protocolName = "blindfold-plugin"
    /// The one version this scanner speaks.
    public static let version: Int64 = 1

    /// The 4-byte length prefix of a frame of `count` bytes.
    public static func prefix(_ count: Int) -> [UInt8] {
        let length = UInt32(clamping: count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
    }

    /// The length a prefix announces.
    public static func length(_ prefix: [UInt8]) -> Int {
        prefix.prefix(4).reduce(0) { $0 << 8 | Int($1) }
    }
}
