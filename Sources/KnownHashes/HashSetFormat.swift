#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// The hash-set source formats Blindfold reads (the values of `--format`).
public enum HashSetFormat: String, CaseIterable, Sendable {
    /// md5sum / sha1sum / sha256sum lists (plain, escaped, `--tag`) and md5deep output.
    case sum
    /// hashdeep known-hashes files.
    case hashdeep
    /// NSRL RDS v3, the SQLite database (full or minimal).
    case nsrlSQLite = "nsrl-sqlite"
    /// NSRL RDS 2.x `NSRLFile.txt`.
    case nsrlText = "nsrl-text"
    /// Project VIC VICS JSON 1.x / 2.0.
    case vics
    /// UK CAID exports (VICS JSON).
    case caid
    /// PDQ hash lists.
    case pdq
    /// Keyed lists, `KEY VALUE [LABEL]`: any plugin output key (external plugins, #16).
    case keyed

    /// What a file turned out to be.
    enum Detected {
        case index
        case source(HashSetFormat)
    }

    /// Detects the format of the file at `path` from its first bytes and first content line.
    static func detect(path: String) throws(HashSetError) -> Detected {
        let head = try firstBytes(of: path, count: 16)
        if IndexFile.recognises(head) { return .index }
        if head.starts(with: NSRLDatabaseFormat.magic) { return .source(.nsrlSQLite) }
        if try LineSource(path: path).nextLine() == KeyedListFormat.magic { return .source(.keyed) }
        let source = try LineSource(path: path)
        guard let first = try source.firstContentLine() else { throw HashSetError(file: path, reason: "the set is empty") }
        if VICSFormat.recognises(first) { return .source(.vics) }
        if HashdeepFormat.recognises(first) { return .source(.hashdeep) }
        if NSRLTextFormat.recognises(first) { return .source(.nsrlText) }
        if PDQListFormat.recognises(first) { return .source(.pdq) }
        if SumListFormat.recognises(first) { return .source(.sum) }
        throw HashSetError(
            file: path, line: source.lineNumber,
            reason: "unrecognised hash-set format (expected VICS or CAID JSON, a hashdeep file, an NSRL database or NSRLFile.txt, a PDQ list, a keyed list (KEY VALUE [LABEL]), a md5sum/sha1sum/sha256sum list or a .bfhs index)")
    }

    /// Parses the whole file at `path` as this format; returns the list and the file's SHA-256.
    func read(path: String) throws(HashSetError) -> (list: ParsedHashList, sha256: String) {
        switch self {
        case .vics, .caid:
            return try VICSFormat.read(path: path, caid: self == .caid)
        case .nsrlSQLite:
            let list = try NSRLDatabaseFormat.read(path: path)
            let stream = try ByteStream(path: path)
            try stream.drain()
            return (list, stream.digest())
        case .keyed:
            let source = try LineSource(path: path)
            guard let first = try source.firstContentLine() else { throw HashSetError(file: path, reason: "the set is empty") }
            var list = ParsedHashList(format: "keyed-list")
            for entry in try KeyedListFormat.read(source, first: first) {
                let label = entry.label.map { list.label(category: $0) } ?? 0
                list.keyed.append(KeyedRecord(entry: KeyedRecords.entry(key: entry.key, value: entry.value), label: label))
            }
            list.entries = list.keyed.count
            return (list, try source.digest())
        case .sum, .hashdeep, .nsrlText, .pdq:
            let source = try LineSource(path: path)
            guard let first = try source.firstContentLine() else { throw HashSetError(file: path, reason: "the set is empty") }
            let list: ParsedHashList
            switch self {
            case .hashdeep: list = try HashdeepFormat.read(source, first: first)
            case .nsrlText: list = try NSRLTextFormat.read(source, first: first)
            case .pdq: list = try PDQListFormat.read(source, first: first)
            default: list = try SumListFormat.read(source, first: first)
            }
            return (list, try source.digest())
        }
    }

    private static func firstBytes(of path: String, count: Int) throws(HashSetError) -> [UInt8] {
        let descriptor = try SetFile.open(path)
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
        guard read >= 0 else {
            throw HashSetError(file: path, reason: "cannot be read (\(String(cString: strerror(errno))))")
        }
        return Array(bytes.prefix(read))
    }
}
