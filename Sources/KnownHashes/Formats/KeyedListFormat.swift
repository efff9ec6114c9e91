import BlindfoldCore

/// Keyed hash lists (HASHSETS.md, "Keyed lists"): the first line exactly ``magic``, then one
/// value of any plugin output key a line, `KEY VALUE [LABEL]`, separated by spaces or tabs.
/// The first line is required because two words on a line are no format at all: without it any
/// text file would load as a set that never matches.
///
/// - `KEY` is an output key as plugins declare them, `[a-z][a-z0-9_-]{0,31}`;
/// - `VALUE` is printable ASCII without spaces, as the manifest records it (hex in either case);
/// - `LABEL`, the rest of the line, is the entry's category in matches.
///
/// Blank lines and `#` comments are skipped; any other line that is not of this shape refuses
/// the set with its line number.
enum KeyedListFormat {
    /// The longest value accepted (the longest any plugin output may be).
    static let maxValueLength = 4096

    /// The first line of every keyed list.
    static let magic = Array("# blindfold keyed hashes 1".utf8)

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
        guard line.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) }) else { return nil }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        var rest = line[...]
        func word() -> ArraySlice<UInt8> {
            rest = rest.drop(while: blank)
            let word = rest.prefix { !blank($0) }
            rest = rest.dropFirst(word.count)
            return word
        }
        let key = String(decoding: word(), as: UTF8.self)
        let value = String(decoding: word(), as: UTF8.self)
        let label = String(decoding: rest.drop(while: blank).reversed().drop(while: blank).reversed(), as: UTF8.self)
        guard isKey(key), !value.isEmpty, value.utf8.count <= maxValueLength else { return nil }
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
