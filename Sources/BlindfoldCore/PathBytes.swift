/// The exact bytes of a file name or path, as the file system or an archive stored them.
///
/// Names on seized media are not always valid UTF-8 (old Windows code pages, damaged
/// directories, deliberate tricks). `PathBytes` never decodes lossily: it keeps the bytes, and
/// offers an escaped display form (`\xHH` for every byte that is not part of valid UTF-8) and a
/// base64 form that restores the bytes exactly.
public struct PathBytes: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The raw bytes, without a terminating NUL.
    public var bytes: [UInt8]

    /// Wraps raw bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The UTF-8 bytes of a Swift string.
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// True when the bytes are empty.
    public var isEmpty: Bool { bytes.isEmpty }

    /// True when the bytes are well-formed UTF-8.
    public var isValidUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// The name as text: valid UTF-8 unchanged, every other byte as `\xHH` (lower-case hex).
    public var escaped: String {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var output = ""
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                output.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    output += "\\x" + Hex.encode([byte])
                }
                offset += length
            case .emptyInput:
                return output
            }
        }
    }

    /// The bytes in standard base64 (RFC 4648, with padding).
    public var base64: String { Base64.encode(bytes) }

    /// Same as ``escaped``.
    public var description: String { escaped }

    /// This path with `component` appended after a `/` (no separator when this path is empty).
    public func appending(_ component: PathBytes) -> PathBytes {
        if bytes.isEmpty { return component }
        var joined = bytes
        if joined.last != UInt8(ascii: "/") { joined.append(UInt8(ascii: "/")) }
        joined.append(contentsOf: component.bytes)
        return PathBytes(joined)
    }

    /// The part after the last `/` (the whole path when there is none).
    public var lastComponent: PathBytes {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return self }
        return PathBytes(Array(bytes[(slash + 1)...]))
    }

    /// The lower-cased ASCII extension of the last component, without the dot, or nil.
    ///
    /// A leading dot (`.profile`) is not an extension.
    public var fileExtension: String? {
        let name = lastComponent.bytes
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex,
            dot < name.index(before: name.endIndex)
        else { return nil }
        let ext = name[(dot + 1)...]
        guard ext.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: ext, as: UTF8.self).lowercased()
    }

    /// Byte-wise lexicographic order: the same on every machine and locale.
    public static func < (lhs: PathBytes, rhs: PathBytes) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
