import BlindfoldCore

/// Digests of one algorithm as fixed-width binary records, with an optional parallel array of
/// label indexes (empty while every entry is unlabelled).
struct DigestRecords: Sendable {
    let algorithm: DigestAlgorithm
    /// `count * width` bytes.
    var digests: [UInt8] = []
    /// `count` label indexes, or empty when all are 0.
    var labels: [UInt16] = []
    /// Records held (set by the appends and by `sortUnique`).
    var count = 0

    init(algorithm: DigestAlgorithm) { self.algorithm = algorithm }

    /// Bytes per digest.
    var width: Int { algorithm.byteWidth }

    /// Appends the digest written as `hex`; false (and nothing appended) when it is not hex of
    /// the algorithm's length.
    @inline(__always)
    mutating func append<Characters: Collection>(hex: Characters, label: UInt16) -> Bool
    where Characters.Element == UInt8 {
        guard hex.count == algorithm.hexLength else { return false }
        let before = digests.count
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            let value = HexTable.byte(high, low)
            guard value <= 0xFF else {
                digests.removeSubrange(before...)
                return false
            }
            digests.append(UInt8(truncatingIfNeeded: value))
        }
        appendLabel(label)
        return true
    }

    /// Appends a binary digest of `width` bytes.
    mutating func append(bytes: some Collection<UInt8>, label: UInt16) {
        digests.append(contentsOf: bytes)
        appendLabel(label)
    }

    @inline(__always)
    private mutating func appendLabel(_ label: UInt16) {
        if label != 0 || !labels.isEmpty {
            // The first labelled record gives the records before it their 0 labels.
            if labels.count < count { labels.append(contentsOf: repeatElement(0, count: count - labels.count)) }
            labels.append(label)
        }
        count += 1
    }

    /// The label of record `index`.
    func label(at index: Int) -> UInt16 { labels.isEmpty ? 0 : labels[index] }
}

/// Hex digit pairs to bytes without allocating: values above 0xFF mean "not hex".
enum HexTable {
    /// The value of one hex digit (either case), or 0x100.
    ///
    /// Without branches: digits and letters are equally likely in a digest, so a branch on
    /// which one this is would be mispredicted about once every two characters, which cost
    /// more than the rest of a lookup in a cached index (docs/PERFORMANCE.md, "Hash sets").
    @inline(__always)
    static func nibble(_ character: UInt8) -> UInt16 {
        let digit = UInt16(character &- UInt8(ascii: "0"))
        let letter = UInt16((character | 0x20) &- UInt8(ascii: "a"))
        let isDigit = 0 &- UInt16(digit < 10 ? 1 : 0)
        let isLetter = 0 &- UInt16(letter < 6 ? 1 : 0)
        return (digit & isDigit) | ((letter &+ 10) & isLetter) | (0x100 & ~(isDigit | isLetter))
    }

    /// The byte `high low` spells, or a value above 0xFF.
    @inline(__always)
    static func byte(_ high: UInt8, _ low: UInt8) -> UInt16 {
        nibble(high) << 4 | nibble(low)
    }

    /// True when every character is a hex digit.
    static func isHex<Characters: Collection>(_ text: Characters) -> Bool where Characters.Element == UInt8 {
        text.allSatisfy { nibble($0) < 16 }
    }
}
