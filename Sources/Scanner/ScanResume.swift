#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Manifest

/// Where a resumed scan starts: the walk entries already recorded and their tallies.
public struct ResumePoint: Sendable {
    /// Walk entries whose records are kept.
    public var entries: Int
    /// The tallies of the kept records.
    public var summary: ScanSummary
}

/// Why a scan cannot be resumed.
public struct ResumeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Prepares an output directory left by an interrupted, killed or crashed scan so that the
/// scan can go on: keeps the records up to the journal's last checkpoint (dropping anything
/// after it, such as the records of items that were being read when the scan stopped), adds
/// this run to the header's `resumed` list, and rebuilds the tallies from the kept records.
public enum ScanResume {
    /// Rewrites the partial manifest in `directory` for a new run started at `started`.
    public static func prepare(directory: String, started: Timestamp) throws -> ResumePoint {
        guard let checkpoint = ScanJournal.lastCheckpoint(in: directory) else {
            throw ResumeError("'\(directory)' holds no scan journal: nothing to resume")
        }
        let partial = directory + "/" + ManifestWriter.partialName
        let final = directory + "/" + ManifestWriter.fileName
        let source = access(partial, F_OK) == 0 ? partial : final
        guard let input = fopen(source, "re") else {
            throw ResumeError("'\(directory)' holds no manifest to resume")
        }
        defer { fclose(input) }
        let resuming = directory + "/.manifest.jsonl.resuming"
        unlink(resuming)
        let outputFD = open(resuming, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard outputFD >= 0, let output = fdopen(outputFD, "w") else { throw ResumeError("cannot write '\(resuming)'") }

        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var consumed: Int64 = 0
        var written: Int64 = 0
        var summary = ScanSummary()
        var first = true
        while consumed < checkpoint.bytes {
            let count = getline(&line, &capacity, input)
            guard count > 0, let line else {
                fclose(output)
                unlink(resuming)
                throw ResumeError("the manifest in '\(directory)' is shorter than its journal says")
            }
            consumed += Int64(count)
            var bytes = Array(UnsafeRawBufferPointer(start: line, count: count))
            if first {
                first = false
                guard case .header(var header)? = try? ManifestReader.line(bytes) else {
                    fclose(output)
                    unlink(resuming)
                    throw ResumeError("the manifest in '\(directory)' does not start with a scan header")
                }
                header.resumed.append(started)
                bytes = Array((header.manifestJSON.serialized + "\n").utf8)
            } else if case .item(let item)? = try? ManifestReader.line(bytes) {
                let record = item.record
                let topLevel = record.path.layers.isEmpty
                summary.add(record, bytesRead: topLevel && !record.hashes.isEmpty ? record.size ?? 0 : 0)
                if topLevel { summary.memberBytes += record.container?.memberBytes ?? 0 }
            }
            written += Int64(fwrite(bytes, 1, bytes.count, output))
        }
        guard fflush(output) == 0, fsync(fileno(output)) == 0 else {
            fclose(output)
            unlink(resuming)
            throw ResumeError("cannot write '\(resuming)'")
        }
        fclose(output)
        guard rename(resuming, partial) == 0 else { throw ResumeError("cannot replace '\(partial)'") }
        if source == final {
            unlink(final)
            unlink(directory + "/" + ManifestWriter.sidecarName)
        }
        let journal = try ScanJournal(directory: directory, truncate: true)
        journal.record(ScanCheckpoint(entries: checkpoint.entries, bytes: written))
        return ResumePoint(entries: checkpoint.entries, summary: summary)
    }
}
