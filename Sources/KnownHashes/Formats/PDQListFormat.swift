import BlindfoldCore
import Signals

/// PDQ hash lists (FORMATS.md §5), one hash a line, in any of these shapes:
/// - `pdq <hex>`: python-threatexchange's file exchange (lines of other signal types are
///   skipped and not counted);
/// - `<hex>`: bare signals;
/// - `<hex>,<quality>,<filename>`: the reference `pdq-photo-hasher` (quality 0 to 100);
/// - `hash=<hex>,norm=…,delta=…,quality=<q>,filename=…`: the hasher's `--details`;
/// - `<hex>,<descriptor id>,<added on>,<tags>`: a ThreatExchange `simple.PDQ.te` cache (the
///   second field is an id larger than 100, which tells it from the hasher's quality);
/// - a CSV with the header `signal_type,signal_str,collab,category,tags`
///   (`threatexchange dataset -P --csv`): `category` and `tags` become the entry's label.
///
/// Hashes are 64 hex digits, either case. Blank lines and `#` comments are skipped.
enum PDQListFormat {
    private static let csvHeader = Array("signal_type,signal_str".utf8)
    private static let pdqPrefix = Array("pdq ".utf8)

    /// True when `line` starts a PDQ list.
    static func recognises(_ line: [UInt8]) -> Bool {
        if line.starts(with: csvHeader) { return true }
        return line.withUnsafeBufferPointer { buffer in
            do { return try parse(buffer) != nil } catch { return false }
        }
    }

    static func read(_ source: LineSource, first: [UInt8]) throws(HashSetError) -> ParsedHashList {
        var list = ParsedHashList(format: "pdq-list")
        var columns: [String]?
        func take(_ line: UnsafeBufferPointer<UInt8>) throws(HashSetError) {
            if line.isEmpty || line[0] == UInt8(ascii: "#") { return }
            if let columns {
                try readCSVRow(line, columns: columns, into: &list, source)
                return
            }
            // The common shapes, bare hashes and `pdq <hex>`, without building strings.
            if line.count == 64 || (line.count == 68 && line.starts(with: Self.pdqPrefix)),
                let hash = PDQHash(hexBytes: UnsafeBufferPointer(rebasing: line.suffix(64)))
            {
                list.add(pdq: hash, quality: nil)
                list.entries += 1
                return
            }
            let entry: Line?
            do { entry = try parse(line) } catch { throw source.error(error.reason) }
            guard let entry else { return }
            list.add(pdq: entry.hash, quality: entry.quality, label: entry.tags.map { list.label(category: nil, detail: $0) } ?? 0)
            list.entries += 1
        }
        if first.starts(with: csvHeader) {
            columns = String(decoding: first, as: UTF8.self).lowercased().split(separator: ",", omittingEmptySubsequences: false)
                .map(String.init)
        } else {
            try first.withUnsafeBufferPointer { line throws(HashSetError) in try take(line) }
        }
        while try source.withNextLine({ line throws(HashSetError) in try take(line) }) != nil {}
        return list
    }

    private static func readCSVRow(
        _ line: UnsafeBufferPointer<UInt8>, columns: [String], into list: inout ParsedHashList, _ source: LineSource
    ) throws(HashSetError) {
        guard let fields = CSVFields.split(line), fields.count == columns.count else {
            throw source.error("expected \(columns.count) comma-separated fields")
        }
        func field(_ name: String) -> String? {
            guard let index = columns.firstIndex(of: name), !fields[index].isEmpty else { return nil }
            return String(decoding: fields[index], as: UTF8.self)
        }
        guard field("signal_type")?.lowercased() == "pdq" else { return }
        guard let text = field("signal_str"), let hash = PDQHash(hex: text) else {
            throw source.error("signal_str is not a PDQ hash (64 hex digits)")
        }
        list.add(pdq: hash, quality: nil, label: list.label(category: field("category"), detail: field("tags")))
        list.entries += 1
    }

    /// One line of a PDQ list.
    private struct Line {
        var hash: PDQHash
        var quality: Int?
        var tags: String?
    }

    /// What went wrong with a line.
    private struct Problem: Error {
        var reason: String
    }

    /// One line's entry; nil for a line of another signal type.
    private static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(Problem) -> Line? {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("hash=") {
            var hash: PDQHash?
            var quality: Int?
            for pair in text.split(separator: ",") {
                if pair.hasPrefix("hash=") { hash = PDQHash(hex: pair.dropFirst(5)) }
                if pair.hasPrefix("quality=") { quality = Int(pair.dropFirst(8)) }
                if pair.hasPrefix("filename=") { break }
            }
            guard let hash else { throw Problem(reason: "hash= is not a PDQ hash (64 hex digits)") }
            guard let quality, (0...100).contains(quality) else { throw Problem(reason: "quality= is not 0 to 100") }
            return Line(hash: hash, quality: quality)
        }
        if let space = text.firstIndex(of: " ") {
            let type = text[..<space].lowercased()
            // A signal type: a word such as `pdq` or `video_md5`, never a hex digest.
            guard let initial = type.first, initial.isLetter, !type.allSatisfy(\.isHexDigit),
                type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else {
                throw Problem(reason: "not a PDQ list line")
            }
            guard type == "pdq" else { return nil }
            guard let hash = PDQHash(hex: text[text.index(after: space)...]) else {
                throw Problem(reason: "not a PDQ hash: expected 64 hex digits after 'pdq '")
            }
            return Line(hash: hash)
        }
        let fields = text.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
        guard let hash = PDQHash(hex: fields[0]) else { throw Problem(reason: "not a PDQ hash: expected 64 hex digits") }
        if fields.count == 1 { return Line(hash: hash) }
        guard let number = Int(fields[1]), number >= 0 else {
            throw Problem(reason: "the second field is not a whole number")
        }
        if number <= 100 { return Line(hash: hash, quality: number) }
        // A ThreatExchange cache line: indicator, descriptor id, added on, tags.
        return Line(hash: hash, tags: fields.count == 4 && !fields[3].isEmpty ? String(fields[3]) : nil)
    }
}

extension PDQHash {
    /// Parses 64 hex digits given as bytes (either case); nil for anything else.
    init?(hexBytes hex: UnsafeBufferPointer<UInt8>) {
        guard hex.count == Self.hexLength else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        // Digit pair 0 is the most significant byte: bits 255...248 (as `init?(hex:)`).
        for index in 0..<32 {
            let byte = HexTable.byte(hex[2 * index], hex[2 * index + 1])
            guard byte <= 0xFF else { return nil }
            let bitOffset = (31 - index) * 8
            words[bitOffset >> 6] |= UInt64(byte) << UInt64(bitOffset & 63)
        }
        self.init(words: (words[0], words[1], words[2], words[3]))
    }
}
