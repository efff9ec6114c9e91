extension JSONValue {
    /// Parses one JSON document (a manifest line, a journal line) keeping every object's members
    /// in document order, duplicates included, so nothing read is reordered or lost.
    ///
    /// Integers that fit 64 bits become ``JSONValue/int(_:)``, other numbers
    /// ``JSONValue/double(_:)``. Errors name the byte offset and what was expected, never the
    /// text.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONParseError) {
        var parser = JSONParser(Array(bytes))
        self = try parser.document()
    }
}

/// Why a line is not JSON: where and what was expected, never the text itself.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset in the line.
    public var offset: Int
    /// What was expected there.
    public var expected: String

    /// An error from its parts.
    public init(offset: Int, expected: String) {
        self.offset = offset
        self.expected = expected
    }

    public var description: String { "byte \(offset): expected \(expected)" }
}

/// A recursive-descent JSON parser over bytes held in memory (RFC 8259, UTF-8 only).
private struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private var depth = 0
    /// Deeper nesting is refused (a hostile line must not exhaust the stack).
    private static let maxDepth = 128

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(JSONParseError) -> JSONValue {
        let value = try self.value()
        skipSpace()
        guard position == bytes.count else { throw fail("the end of the document") }
        return value
    }

    private func fail(_ expected: String) -> JSONParseError { JSONParseError(offset: position, expected: expected) }

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        skipSpace()
        guard position < bytes.count else { throw fail("a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try nested { (parser: inout JSONParser) throws(JSONParseError) in try parser.object() }
        case UInt8(ascii: "["): return try nested { (parser: inout JSONParser) throws(JSONParseError) in try parser.array() }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("a value")
        }
    }

    private mutating func nested(
        _ body: (inout JSONParser) throws(JSONParseError) -> JSONValue
    ) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maxDepth else { throw fail("at most \(Self.maxDepth) levels of nesting") }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else { throw fail(what) }
        position += 1
    }

    /// True (and consumed) when the next non-space byte is `byte`.
    private mutating func next(is byte: UInt8) -> Bool {
        skipSpace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [(key: String, value: JSONValue)] = []
        if next(is: UInt8(ascii: "}")) { return .object(members) }
        repeat {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw fail("a member name") }
            let key = try string()
            try expect(UInt8(ascii: ":"), "':'")
            members.append((key, try value()))
        } while next(is: UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}'")
        return .object(members)
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        if next(is: UInt8(ascii: "]")) { return .array(elements) }
        repeat { elements.append(try value()) } while next(is: UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']'")
        return .array(elements)
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, bytes[position..<(position + expected.count)].elementsEqual(expected)
        else { throw fail("a value") }
        position += expected.count
    }

    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = position
        func digits(_ parser: inout JSONParser) -> Int {
            let first = parser.position
            while parser.position < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.position]) {
                parser.position += 1
            }
            return parser.position - first
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw fail("a digit") }
        guard integerDigits == 1 || bytes[position - integerDigits] != UInt8(ascii: "0") else { throw fail("no leading zero") }
        var integral = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            integral = false
            guard digits(&self) > 0 else { throw fail("a digit after '.'") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            integral = false
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits(&self) > 0 else { throw fail("a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let value = Int64(text) { return .int(value) }
        guard let value = Double(text) else { throw fail("a number") }
        return .double(value)
    }

    private mutating func string() throws(JSONParseError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var run = position
        func flush(_ parser: JSONParser, upTo end: Int) throws(JSONParseError) {
            guard let text = String(validating: parser.bytes[run..<end], as: UTF8.self) else {
                throw JSONParseError(offset: run, expected: "UTF-8 text")
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard position < bytes.count else { throw fail("'\"'") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                try flush(self, upTo: position)
                position += 1
                return String(scalars)
            }
            guard byte >= 0x20 else { throw fail("an escaped control character") }
            guard byte == UInt8(ascii: "\\") else {
                position += 1
                continue
            }
            try flush(self, upTo: position)
            position += 1
            scalars.append(try escape())
            run = position
        }
    }

    /// The character of the escape after a backslash (`\n`, `\u00e9`, a surrogate pair).
    private mutating func escape() throws(JSONParseError) -> Unicode.Scalar {
        guard position < bytes.count else { throw fail("an escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit()
            if (0xD800..<0xDC00).contains(unit) {
                guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw fail("the second half of a surrogate pair") }
                position += 2
                let low = try hexUnit()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("the second half of a surrogate pair") }
                let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                guard let scalar = Unicode.Scalar(combined) else { throw fail("a character") }
                return scalar
            }
            guard let scalar = Unicode.Scalar(unit) else { throw fail("a character, not half a surrogate pair") }
            return scalar
        default:
            position -= 1
            throw fail("an escape")
        }
    }

    private mutating func hexUnit() throws(JSONParseError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail("four hex digits") }
        var value: UInt32 = 0
        for byte in bytes[position..<(position + 4)] {
            guard let digit = Self.hexDigit(byte) else { throw fail("four hex digits") }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
