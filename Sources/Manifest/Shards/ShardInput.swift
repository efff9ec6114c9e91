#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto
import Foundation

/// One shard's finished output folder, checked before anything is merged: its manifest is
/// whole (no unfinished scan beside it, a summary saying `complete: true`), matches its
/// `.sha256` sidecar, and starts with a sharded scan's header.
final class ShardInput {
    /// The folder as given.
    let directory: String
    /// The header.
    let header: ScanHeader
    /// The header's `shard` object.
    let shard: ShardHeaderInfo
    /// The summary line.
    let summary: SummaryRecord
    /// The manifest's SHA-256 (checked against the sidecar).
    let manifestSHA256: String

    var index: Int { shard.index }
    var count: Int { shard.count }

    /// Checks the shard in `directory`; reads its manifest once.
    init(directory: String) throws(ShardMergeError) {
        self.directory = directory
        let manifest = directory + "/" + ManifestWriter.fileName
        let unfinished = ["/.scan.json", "/" + ManifestWriter.partialName].contains { access(directory + $0, F_OK) == 0 }
        if unfinished || access(manifest, F_OK) != 0 {
            guard unfinished else {
                throw ShardMergeError("'\(directory)' holds no manifest: give the output folder of each shard's scan")
            }
            throw ShardMergeError(
                "\(Self.shardName(in: directory)) in '\(directory)' is unfinished: finish it with 'blindfold scan --resume \(directory)', then merge")
        }
        guard let reader = LineReader(path: manifest) else {
            throw ShardMergeError("cannot read '\(manifest)': \(String(cString: strerror(errno)))")
        }
        var hasher = SHA256()
        var first: [UInt8]?
        var last: [UInt8] = []
        while let line = reader.next() {
            hasher.update(data: line)
            if first == nil { first = line }
            last = line
        }
        manifestSHA256 = Hex.encode(hasher.finalize())
        let sidecar = (try? String(contentsOfFile: directory + "/" + ManifestWriter.sidecarName, encoding: .utf8)) ?? ""
        guard sidecar.split(separator: " ").first.map(String.init) == manifestSHA256 else {
            throw ShardMergeError(
                "'\(manifest)' does not match its sidecar \(ManifestWriter.sidecarName) (changed or damaged since it was written)")
        }
        guard let first, case .header(let header)? = try? ManifestReader.line(first) else {
            throw ShardMergeError("'\(manifest)' does not start with a scan header")
        }
        guard let shard = ShardHeaderInfo(header.shard) else {
            throw ShardMergeError("'\(directory)' holds a scan that is not a shard (made without --shard I/N)")
        }
        guard last.last == UInt8(ascii: "\n"), case .summary(let summary)? = try? ManifestReader.line(last) else {
            throw ShardMergeError("'\(manifest)' does not end with a summary line")
        }
        guard summary.complete else {
            throw ShardMergeError(
                "shard \(shard.index) of \(shard.count) in '\(directory)' is incomplete: finish it with 'blindfold scan --resume \(directory)', then merge")
        }
        self.header = header
        self.shard = shard
        self.summary = summary
    }

    /// "shard I of N" from the header of an unfinished manifest, or "the shard".
    private static func shardName(in directory: String) -> String {
        for name in [ManifestWriter.partialName, ManifestWriter.fileName] {
            guard let reader = LineReader(path: directory + "/" + name), let line = reader.next(),
                case .header(let header)? = try? ManifestReader.line(line), let shard = ShardHeaderInfo(header.shard)
            else { continue }
            return "shard \(shard.index) of \(shard.count)"
        }
        return "the shard"
    }

    /// The header as it must agree between the shards of one scan: without the times, the
    /// `shard` object and the worker counts (which do not change item lines).
    var invocation: ScanHeader {
        var fields = header
        fields.started = Timestamp(seconds: 0)
        fields.resumed = []
        fields.shard = nil
        fields.options = fields.options.filter { $0.key != "jobs" && $0.key != "io_jobs" }
        return fields
    }

    /// The shard's start, from its header.
    var started: Timestamp { header.started }

    /// The shard's end, from its summary.
    var finished: Timestamp { summary.finished }

    /// The listing's SHA-256.
    var listingSHA256: String { shard.listingSHA256 }
}
