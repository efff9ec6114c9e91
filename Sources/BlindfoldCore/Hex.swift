/// Lower-case hexadecimal encoding and decoding of digests.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes`.
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The bytes of a hex string (either case), or nil when it has an odd length or a non-hex character.
    public static func decode<Characters: Collection>(_ text: Characters) -> [UInt8]?
    where Characters.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(text.count / 2)
        var high: UInt8?
        for character in text {
            guard let nibble = value(of: character) else { return nil }
            if let first = high {
                result.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return result
    }

    /// The bytes of a hex string (either case), or nil.
    public static func decode(_ text: String) -> [UInt8]? { decode(Array(text.utf8)) }

    /// True when every character is a hex digit.
    public static func isHex<Characters: Collection>(_ text: Characters) -> Bool
    where Characters.Element == UInt8 {
        text.allSatisfy { value(of: $0) != nil }
    }

    @inline(__always)
    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
