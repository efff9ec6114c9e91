#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// Where an interrupted scan can go on from: after `entries` walk entries, whose records fill
/// the first `bytes` bytes of the partial manifest.
public struct ScanCheckpoint: Sendable, Hashable {
    /// Walk entries whose records are all on disk.
    public var entries: Int
    /// Bytes of the partial manifest those records (and the header) take.
    public var bytes: Int64

    /// A checkpoint from its parts.
    public init(entries: Int, bytes: Int64) {
        self.entries = entries
        self.bytes = bytes
    }

    /// The checkpoint of one journal line (`{"entries":N,"bytes":B}`), or nil when the line is
    /// not one.
    init?(journalLine line: [UInt8]) {
        guard case .object(let members)? = try? JSONValue(parsing: line),
            case .int(let entries)? = members.first(where: { $0.key == "entries" })?.value,
            case .int(let bytes)? = members.first(where: { $0.key == "bytes" })?.value,
            let count = Int(exactly: entries)
        else { return nil }
        self.init(entries: count, bytes: bytes)
    }
}

/// The append-only journal beside a running manifest (`DIR/.scan.journal`): one checkpoint per
/// line, written after the manifest bytes it names are synced. A crash, `kill -9` or power cut
/// leaves at worst a torn last line, which is ignored.
public final class ScanJournal {
    /// The journal's file name inside the output directory.
    public static let fileName = ".scan.journal"

    private let descriptor: Int32
    private let path: String

    /// Opens (creating or, with `truncate`, emptying) the journal in `directory`.
    public init(directory: String, truncate: Bool) throws(ManifestError) {
        path = directory + "/" + Self.fileName
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | (truncate ? O_TRUNC : 0), 0o644)
        guard fd >= 0 else { throw ManifestError(path: path, operation: "create", code: errno) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends a checkpoint.
    public func record(_ checkpoint: ScanCheckpoint) {
        let line = Array("{\"entries\":\(checkpoint.entries),\"bytes\":\(checkpoint.bytes)}\n".utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The last whole checkpoint in the journal of `directory`, or nil when there is none.
    public static func lastCheckpoint(in directory: String) -> ScanCheckpoint? {
        guard let stream = fopen(directory + "/" + fileName, "re") else { return nil }
        defer { fclose(stream) }
        var last: ScanCheckpoint?
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, stream) > 0, let line {
            let text = String(cString: line)
            guard text.hasSuffix("}\n"), let checkpoint = ScanCheckpoint(journalLine: Array(text.utf8)) else { continue }
            last = checkpoint
        }
        return last
    }

    /// Removes the journal of a finished scan.
    public static func remove(in directory: String) { unlink(directory + "/" + fileName) }
}
