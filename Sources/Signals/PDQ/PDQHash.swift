import BlindfoldCore

/// A 256-bit PDQ hash, stored as four 64-bit words so that the Hamming distance is four
/// population counts.
///
/// Bit `k` is the thresholded DCT coefficient `k = 16 * row + column` of the reference
/// implementation. Its text form is ThreatExchange's: the 256-bit number with bit `k` at weight
/// `2^k`, written most significant first as 64 hex digits, so the DCT's (0,0) coefficient is the
/// lowest bit of the last digit.
public struct PDQHash: Hashable, Sendable, Comparable {
    /// Word `i` holds bits `64 * i ..< 64 * (i + 1)`.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    /// The number of hex digits in the text form.
    public static let hexLength = 64

    /// A hash from its four words (word 0 holds bits 0 to 63).
    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The hash with every bit clear.
    public static let zero = PDQHash(words: (0, 0, 0, 0))

    /// A hash from 256 bits, index `k` is bit `k`.
    public init(bits: [Bool]) {
        precondition(bits.count == 256, "a PDQ hash has 256 bits")
        var packed: [UInt64] = [0, 0, 0, 0]
        for (index, bit) in bits.enumerated() where bit {
            packed[index >> 6] |= 1 << UInt64(index & 63)
        }
        words = (packed[0], packed[1], packed[2], packed[3])
    }

    /// Parses 64 hex digits (either case); nil for anything else.
    public init?(hex: some StringProtocol) {
        let characters = Array(hex.utf8)
        guard characters.count == Self.hexLength, let bytes = Hex.decode(characters) else { return nil }
        // bytes[0] is the most significant byte: bits 255...248.
        var packed: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            let bitOffset = (31 - index) * 8
            packed[bitOffset >> 6] |= UInt64(byte) << UInt64(bitOffset & 63)
        }
        words = (packed[0], packed[1], packed[2], packed[3])
    }

    /// The 64-hex-digit text form, lower case.
    public var hex: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in [words.3, words.2, words.1, words.0] {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return Hex.encode(bytes)
    }

    /// Bit `index` (0 to 255).
    public func bit(_ index: Int) -> Bool {
        let word: UInt64
        switch index >> 6 {
        case 0: word = words.0
        case 1: word = words.1
        case 2: word = words.2
        default: word = words.3
        }
        return word >> UInt64(index & 63) & 1 == 1
    }

    /// The number of bits in which `self` and `other` differ.
    @inline(__always)
    public func distance(to other: PDQHash) -> Int {
        (words.0 ^ other.words.0).nonzeroBitCount + (words.1 ^ other.words.1).nonzeroBitCount
            + (words.2 ^ other.words.2).nonzeroBitCount + (words.3 ^ other.words.3).nonzeroBitCount
    }

    public static func == (lhs: PDQHash, rhs: PDQHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    /// Orders as the 256-bit numbers the hex text spells.
    public static func < (lhs: PDQHash, rhs: PDQHash) -> Bool {
        (lhs.words.3, lhs.words.2, lhs.words.1, lhs.words.0) < (rhs.words.3, rhs.words.2, rhs.words.1, rhs.words.0)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
