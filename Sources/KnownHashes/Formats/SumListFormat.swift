import BlindfoldCore

/// GNU `md5sum`/`sha1sum`/`sha256sum` lists and md5deep output.
///
/// Accepted line forms (the algorithm follows from the digest's length):
/// - `<hex>  <name>` and `<hex> *<name>` (text and binary mode);
/// - `\<hex>  <escaped name>`, the escaped form for names with `\`, newline or CR;
/// - `MD5 (<name>) = <hex>`, the BSD form of `--tag`.
///
/// Blank lines and lines starting with `#` are skipped. Any other line is malformed, and a
/// malformed line makes the whole set unusable: a half-read known-bad list would silently miss.
/// Lines are parsed as bytes, in place: this is the path a 100-million-line list takes.
enum SumListFormat {
    /// True when `line` is a sum-list line.
    static func recognises(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { parse($0).entry != nil }
    }

    static func read(_ source: LineSource, first: [UInt8]) throws(HashSetError) -> ParsedHashList {
        var list = ParsedHashList(format: "sum-list")
        var seen = Set<DigestAlgorithm>()
        var tagged = false
        func take(_ line: UnsafeBufferPointer<UInt8>) throws(HashSetError) {
            if line.isEmpty || line[0] == UInt8(ascii: "#") { return }
            let parsed = parse(line)
            guard let entry = parsed.entry else { throw source.error(parsed.problem) }
            _ = list.add(hex: UnsafeBufferPointer(rebasing: line[entry.hex]), entry.algorithm)
            list.entries += 1
            if !seen.contains(entry.algorithm) { seen.insert(entry.algorithm) }
            tagged = tagged || entry.tagged
        }
        try first.withUnsafeBufferPointer { line throws(HashSetError) in try take(line) }
        while try source.withNextLine({ line throws(HashSetError) in try take(line) }) != nil {}
        if seen.count == 1, let only = seen.first {
            list.format = tagged ? "\(only.rawValue)sum-tag" : "\(only.rawValue)sum"
        }
        return list
    }

    /// Where one line's digest is.
    struct Entry {
        var algorithm: DigestAlgorithm
        /// The hex digits' position in the line.
        var hex: Range<Int>
        var tagged: Bool
    }

    /// The entry, or why the line is not one.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> (entry: Entry?, problem: String) {
        let space = UInt8(ascii: " ")
        var start = 0
        if line.first == UInt8(ascii: "\\") { start = 1 }
        var end = start
        while end < line.count, line[end] != space { end += 1 }
        let hex = UnsafeBufferPointer(rebasing: line[start..<end])
        if !hex.isEmpty, HexTable.isHex(hex) {
            guard let algorithm = DigestAlgorithm(hexLength: hex.count) else {
                return (nil, "a digest of \(hex.count) hex digits is not MD5 (32), SHA-1 (40) or SHA-256 (64)")
            }
            guard line.count - end >= 3, line[end + 1] == space || line[end + 1] == UInt8(ascii: "*") else {
                return (nil, "the digest must be followed by two spaces (or ' *') and a name")
            }
            return (Entry(algorithm: algorithm, hex: start..<end, tagged: false), "")
        }
        if let tagged = parseTagged(line) { return tagged }
        return (nil, "not a checksum line: expected '<hex digest>  <name>'")
    }

    /// `ALGO (name) = hex`; nil when the line does not have that shape.
    private static func parseTagged(_ line: UnsafeBufferPointer<UInt8>) -> (entry: Entry?, problem: String)? {
        guard let open = line.firstIndex(of: UInt8(ascii: "(")), open > 0, line[open - 1] == UInt8(ascii: " "),
            let equals = lastRange(of: Array(") = ".utf8), in: line)
        else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: line[..<(open - 1)]), as: UTF8.self)
        guard let algorithm = DigestAlgorithm(name: name) else { return nil }
        let hex = equals.upperBound..<line.count
        guard hex.count == algorithm.hexLength, HexTable.isHex(UnsafeBufferPointer(rebasing: line[hex])) else {
            return (nil, "\(name) line whose digest is not \(algorithm.hexLength) hex digits")
        }
        return (Entry(algorithm: algorithm, hex: hex, tagged: true), "")
    }

    private static func lastRange(of needle: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard needle.count <= line.count else { return nil }
        var start = line.count - needle.count
        while start >= 0 {
            if line[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
            start -= 1
        }
        return nil
    }
}
