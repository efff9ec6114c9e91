/// A pull reader for one JSON document, streamed from a ``ByteStream``: it holds the current
/// string or number and the path to it, never the document.
///
/// Consumers walk the document with ``readObject(_:)`` and ``readArray(_:)``, whose bodies must
/// consume exactly one value per member (``readScalar()``, a nested read, or ``skipValue()``).
/// Errors name the JSON path (`$.value[3].md5`), never the text: a key is named only when it is
/// one the format knows (`namedKeys`, shown lower-cased); any other key is shown by position
/// (`$.value[3].{member 2}`), since a hostile set can put anything in a key, escape codes
/// included.
final class JSONReader {
    /// A string, number or literal.
    enum Scalar {
        case string([UInt8])
        case number([UInt8])
        case bool(Bool)
        case null
    }

    private enum PathComponent {
        /// The key as written (shown when its lower-cased form is named) and its position.
        case key([UInt8], lowered: [UInt8], position: Int)
        case index(Int)
    }

    private let stream: ByteStream
    private var path: [PathComponent] = []
    private let maxDepth = 256
    private let maxString = 1 << 24

    private let namedKeys: Set<[UInt8]>

    /// A reader over `stream` whose error paths name the keys in `namedKeys` (lower-case).
    init(stream: ByteStream, namedKeys: Set<[UInt8]> = []) {
        self.stream = stream
        self.namedKeys = namedKeys
    }

    /// The file's path.
    var file: String { stream.path }

    /// An error at the current JSON path.
    func error(_ reason: String) -> HashSetError {
        HashSetError(file: stream.path, reason: "\(pathText): \(reason)")
    }

    /// The current path in JSONPath notation.
    var pathText: String {
        var text = "$"
        for component in path {
            switch component {
            case .key(let key, let lowered, let position):
                text += namedKeys.contains(lowered) ? "." + String(decoding: key, as: UTF8.self) : ".{member \(position)}"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// Skips a UTF-8 byte-order mark at the start.
    func skipByteOrderMark() throws(HashSetError) {
        guard try stream.peekByte() == 0xEF else { return }
        for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
            guard try stream.nextByte() == expected else { throw error("not JSON: a broken byte-order mark") }
        }
    }

    /// The first non-space byte ahead, not consumed; nil at the end.
    func peek() throws(HashSetError) -> UInt8? {
        while let byte = try stream.peekByte() {
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
            stream.consume(1)
        }
        return nil
    }

    private func expect(_ byte: UInt8, _ what: String) throws(HashSetError) {
        guard try peek() == byte else { throw error("expected \(what)") }
        stream.consume(1)
    }

    /// Reads an object, calling `body` with each key (ASCII lower-cased, for the case-insensitive
    /// names VICS readers use) while the path points at it.
    func readObject(_ body: (_ key: [UInt8]) throws(HashSetError) -> Void) throws(HashSetError) {
        try expect(UInt8(ascii: "{"), "an object")
        guard path.count < maxDepth else { throw error("nested more than \(maxDepth) levels deep") }
        if try peek() == UInt8(ascii: "}") {
            stream.consume(1)
            return
        }
        var position = 0
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw error("expected a member name") }
            let key = try readString()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            let lowered = key.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            path.append(.key(key, lowered: lowered, position: position))
            position += 1
            try body(lowered)
            path.removeLast()
            switch try peek() {
            case UInt8(ascii: ","): stream.consume(1)
            case UInt8(ascii: "}"):
                stream.consume(1)
                return
            default: throw error("expected ',' or '}' after a member")
            }
        }
    }

    /// Reads an array, calling `body` with each element's index while the path points at it.
    func readArray(_ body: (_ index: Int) throws(HashSetError) -> Void) throws(HashSetError) {
        try expect(UInt8(ascii: "["), "an array")
        guard path.count < maxDepth else { throw error("nested more than \(maxDepth) levels deep") }
        if try peek() == UInt8(ascii: "]") {
            stream.consume(1)
            return
        }
        var index = 0
        while true {
            path.append(.index(index))
            try body(index)
            path.removeLast()
            index += 1
            switch try peek() {
            case UInt8(ascii: ","): stream.consume(1)
            case UInt8(ascii: "]"):
                stream.consume(1)
                return
            default: throw error("expected ',' or ']' after an element")
            }
        }
    }

    /// True when the next value is `kind` (`{`, `[`), without consuming it.
    func nextIs(_ kind: Character) throws(HashSetError) -> Bool {
        guard let ascii = kind.asciiValue else { return false }
        return try peek() == ascii
    }

    /// Reads a string, number, `true`, `false` or `null`.
    func readScalar() throws(HashSetError) -> Scalar {
        switch try peek() {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39): return .number(try readNumber())
        case nil: throw error("the document ends early")
        default: throw error("expected a string, number, true, false or null")
        }
    }

    /// Skips one value of any kind.
    func skipValue() throws(HashSetError) {
        switch try peek() {
        case UInt8(ascii: "{"): try readObject { _ throws(HashSetError) in try skipValue() }
        case UInt8(ascii: "["): try readArray { _ throws(HashSetError) in try skipValue() }
        default: _ = try readScalar()
        }
    }

    /// Checks that nothing but white space follows the document.
    func finish() throws(HashSetError) {
        guard try peek() == nil else { throw error("text after the end of the JSON document") }
    }

    private func literal(_ word: StaticString) throws(HashSetError) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard try stream.nextByte() == expected else { throw error("not JSON: a misspelt true, false or null") }
        }
    }

    private func readNumber() throws(HashSetError) -> [UInt8] {
        var bytes: [UInt8] = []
        while let byte = try stream.peekByte(),
            (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        {
            bytes.append(byte)
            stream.consume(1)
            guard bytes.count <= 64 else { throw error("a number longer than 64 characters") }
        }
        return bytes
    }

    private func readString() throws(HashSetError) -> [UInt8] {
        try expect(UInt8(ascii: "\""), "a string")
        var bytes: [UInt8] = []
        while true {
            guard let byte = try stream.nextByte() else { throw error("a string is not closed") }
            switch byte {
            case UInt8(ascii: "\""): return bytes
            case UInt8(ascii: "\\"): try readEscape(into: &bytes)
            case 0..<0x20: throw error("a control character inside a string")
            default: bytes.append(byte)
            }
            guard bytes.count <= maxString else { throw error("a string longer than 16 MiB") }
        }
    }

    private func readEscape(into bytes: inout [UInt8]) throws(HashSetError) {
        guard let escaped = try stream.nextByte() else { throw error("a string is not closed") }
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate: a low one must follow to make one code point.
                guard try stream.nextByte() == UInt8(ascii: "\\"), try stream.nextByte() == UInt8(ascii: "u") else {
                    throw error("a lone UTF-16 surrogate in a string")
                }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a lone UTF-16 surrogate in a string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw error("an invalid \\u escape in a string") }
            bytes.append(contentsOf: Array(String(Character(unicode)).utf8))
        default: throw error("an invalid escape in a string")
        }
    }

    private func readHex4() throws(HashSetError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try stream.nextByte(), HexTable.byte(0x30, byte) <= 0xFF else {
                throw error("an invalid \\u escape in a string")
            }
            value = value << 4 | UInt32(HexTable.byte(0x30, byte))
        }
        return value
    }
}
