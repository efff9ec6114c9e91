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
enum SumListFormat {
    /// True when `line` is a sum-list line.
    static func recognises(_ line: [UInt8]) -> Bool {
        (try? parse(line).get()) != nil
    }

    static func read(_ source: LineSource, first: [UInt8]) throws(HashSetError) -> ParsedHashList {
        var list = ParsedHashList(format: "sum-list")
        var algorithms: Set<DigestAlgorithm> = []
        var tagged = false
        var line: [UInt8]? = first
        while let current = line {
            if !current.isEmpty && current.first != UInt8(ascii: "#") {
                switch parse(current) {
                case .success(let entry):
                    list.add(entry.key, entry.algorithm)
                    list.entries += 1
                    algorithms.insert(entry.algorithm)
                    tagged = tagged || entry.tagged
                case .failure(let problem):
                    throw source.error(problem.reason)
                }
            }
            line = try source.nextLine()
        }
        if algorithms.count == 1, let only = algorithms.first {
            list.format = tagged ? "\(only.rawValue)sum-tag" : "\(only.rawValue)sum"
        }
        return list
    }

    struct Entry {
        var algorithm: DigestAlgorithm
        var key: DigestKey
        var tagged: Bool
    }

    struct Problem: Error {
        var reason: String
    }

    static func parse(_ line: [UInt8]) -> Result<Entry, Problem> {
        if let tagged = parseTagged(line) { return tagged }
        var body = line[...]
        if body.first == UInt8(ascii: "\\") { body = body.dropFirst() }
        let hex = body.prefix { $0 != UInt8(ascii: " ") }
        guard !hex.isEmpty, Hex.isHex(hex) else {
            return .failure(Problem(reason: "not a checksum line: expected '<hex digest>  <name>'"))
        }
        guard let algorithm = DigestAlgorithm(hexLength: hex.count) else {
            return .failure(Problem(
                reason: "a digest of \(hex.count) hex digits is not MD5 (32), SHA-1 (40) or SHA-256 (64)"))
        }
        let rest = body.dropFirst(hex.count)
        guard rest.count >= 3, rest.first == UInt8(ascii: " "),
            rest.dropFirst().first == UInt8(ascii: " ") || rest.dropFirst().first == UInt8(ascii: "*")
        else {
            return .failure(Problem(reason: "the digest must be followed by two spaces (or ' *') and a name"))
        }
        guard let key = DigestKey(hex) else { return .failure(Problem(reason: "digest too long")) }
        return .success(Entry(algorithm: algorithm, key: key, tagged: false))
    }

    /// `ALGO (name) = hex`.
    private static func parseTagged(_ line: [UInt8]) -> Result<Entry, Problem>? {
        guard let open = line.firstIndex(of: UInt8(ascii: "(")), open > line.startIndex,
            line[line.index(before: open)] == UInt8(ascii: " "),
            let equals = line.lastRange(of: Array(") = ".utf8))
        else { return nil }
        let name = String(decoding: line[..<line.index(before: open)], as: UTF8.self)
        guard let algorithm = DigestAlgorithm(name: name) else { return nil }
        let hex = line[equals.upperBound...]
        guard hex.count == algorithm.hexLength, Hex.isHex(hex), let key = DigestKey(Hex.decode(hex) ?? []) else {
            return .failure(Problem(reason: "\(name) line whose digest is not \(algorithm.hexLength) hex digits"))
        }
        return .success(Entry(algorithm: algorithm, key: key, tagged: true))
    }
}

extension DigestKey {
    /// Packs a hex digest given as bytes.
    init?(_ hex: ArraySlice<UInt8>) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }
}

extension Array where Element == UInt8 {
    func lastRange(of needle: [UInt8]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        var start = count - needle.count
        while start >= 0 {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
            start -= 1
        }
        return nil
    }
}
