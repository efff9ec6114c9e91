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
    /// The header line, as written.
    let headerLine: [UInt8]
    /// The header, parsed.
    let header: [String: Any]
    /// The header's `shard` object.
    let shard: [String: Any]
    /// `shard.index` and `shard.count`.
    let index: Int
    let count: Int
    /// The summary, parsed.
    let summary: [String: Any]
    /// The manifest's SHA-256 (checked against the sidecar).
    let manifestSHA256: String

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
        guard let first, let header = ManifestReader.object(first), header["record"] as? String == "scan" else {
            throw ShardMergeError("'\(manifest)' does not start with a scan header")
        }
        guard let shard = header["shard"] as? [String: Any], let index = (shard["index"] as? NSNumber)?.intValue,
            let count = (shard["count"] as? NSNumber)?.intValue
        else {
            throw ShardMergeError("'\(directory)' holds a scan that is not a shard (made without --shard I/N)")
        }
        guard last.last == UInt8(ascii: "\n"), let summary = ManifestReader.object(last),
            summary["record"] as? String == "summary"
        else {
            throw ShardMergeError("'\(manifest)' does not end with a summary line")
        }
        guard summary["complete"] as? Bool == true else {
            throw ShardMergeError(
                "shard \(index) of \(count) in '\(directory)' is incomplete: finish it with 'blindfold scan --resume \(directory)', then merge")
        }
        self.headerLine = first
        self.header = header
        self.shard = shard
        self.index = index
        self.count = count
        self.summary = summary
    }

    /// "shard I of N" from the header of an unfinished manifest, or "the shard".
    private static func shardName(in directory: String) -> String {
        for name in [ManifestWriter.partialName, ManifestWriter.fileName] {
            guard let reader = LineReader(path: directory + "/" + name), let line = reader.next(),
                let shard = ManifestReader.object(line)?["shard"] as? [String: Any],
                let index = (shard["index"] as? NSNumber)?.intValue, let count = (shard["count"] as? NSNumber)?.intValue
            else { continue }
            return "shard \(index) of \(count)"
        }
        return "the shard"
    }

    /// The header fields that must agree between the shards of one scan: everything but the
    /// times, the `shard` object and the worker counts (which do not change item lines).
    var invocation: [String: Any] {
        var fields = header
        for key in ["started", "resumed", "shard"] { fields.removeValue(forKey: key) }
        if var options = fields["options"] as? [String: Any] {
            options.removeValue(forKey: "jobs")
            options.removeValue(forKey: "io_jobs")
            fields["options"] = options
        }
        return fields
    }

    /// The shard's start, from its header.
    var started: Timestamp? { (header["started"] as? String).flatMap(Timestamp.init(rfc3339:)) }

    /// The shard's end, from its summary.
    var finished: Timestamp? { (summary["finished"] as? String).flatMap(Timestamp.init(rfc3339:)) }

    /// `shard.listing_sha256`.
    var listingSHA256: String { shard["listing_sha256"] as? String ?? "" }
}
