import BlindfoldCore

/// Keyed hash lists (HASHSETS.md, "Keyed lists"): one value of any plugin output key a line,
/// `KEY VALUE [LABEL]`, separated by spaces or tabs.
///
/// - `KEY` is an output key as plugins declare them, `[a-z][a-z0-9_-]{0,31}`, with at least one
///   character that is not a hex digit (so a md5sum line is never taken for one);
/// - `VALUE` is printable ASCII without spaces, as the manifest records it (hex in either case);
/// - `LABEL`, the rest of the line, is the entry's category in matches.
///
/// Blank lines and `#` comments are skipped; any other line that is not of this shape refuses
/// the set with its line number.
enum KeyedListFormat {
    /// The longest value accepted (the longest any plugin output may be).
    static let maxValueLength = 4096

    /// True when `line` starts a keyed list.
    static func recognises(_ line: [UInt8]) -> Bool {
        guard let fields = split(line) else { return false }
        return !Hex.isHex(fields.key.utf8)
    }

    /// Reads the whole list.
    static func read(_ source: LineSource, first: [UInt8]) throws(HashSetError) -> [KeyedEntry] {
        var entries: [KeyedEntry] = []
        func take(_ line: [UInt8]) throws(HashSetError) {
            if line.isEmpty || line[0] == UInt8(ascii: "#") { return }
            guard let fields = split(line) else {
                throw source.error("expected KEY VALUE [LABEL]: a key of the form [a-z][a-z0-9_-]{0,31} and a value of printable ASCII")
            }
            entries.append(fields)
        }
        try take(first)
        while let line = try source.nextLine() { try take(line) }
        return entries
    }

    /// The fields of one line, or nil when it is not of the shape above.
    private static func split(_ line: [UInt8]) -> KeyedEntry? {
        let text = String(decoding: line, as: UTF8.self)
        guard text.utf8.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) }) else { return nil }
        let parts = text.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count >= 2 else { return nil }
        let key = String(parts[0])
        let value = String(parts[1])
        guard isKey(key), value.utf8.count <= maxValueLength else { return nil }
        let label = parts.count == 3 ? parts[2].trimmingCharacters(in: " \t") : ""
        return KeyedEntry(key: key, value: value, label: label.isEmpty ? nil : label)
    }

    /// `[a-z][a-z0-9_-]{0,31}`.
    static func isKey(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, (0x61...0x7A).contains(first), bytes.count <= 32 else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2D }
    }
}

/// One entry of a keyed list.
struct KeyedEntry: Sendable, Hashable {
    var key: String
    var value: String
    var label: String?
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
