import BlindfoldCore

/// A digest of up to 32 bytes packed into four machine words: cheap to hash and compare.
public struct DigestKey: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64)
    private var length: UInt8

    /// Packs `bytes` (at most 32); nil when longer.
    public init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count <= 32 else { return nil }
        var packed: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            packed[index / 8] |= UInt64(byte) << UInt64((index % 8) * 8)
        }
        words = (packed[0], packed[1], packed[2], packed[3])
        length = UInt8(bytes.count)
    }

    /// Packs the digest written as hex (either case); nil when not hex or too long.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    public static func == (lhs: DigestKey, rhs: DigestKey) -> Bool {
        lhs.length == rhs.length && lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1
            && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
        hasher.combine(length)
    }
}
