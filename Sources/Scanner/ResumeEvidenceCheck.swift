#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore
import Evidence
import Manifest

/// Before a resumed scan skips the walk entries an earlier run recorded, proves they are the
/// same evidence: the roots are walked again (stat only, nothing is opened) as far as the
/// journal's last checkpoint, and every entry must have the recorded record's root and path,
/// kind and, where both are known, size and modification time (nanoseconds), one for one and in
/// order. A file added or removed before the checkpoint shifts the walk and is caught at the
/// first entry that differs; a file rewritten in place is caught by its size or time.
///
/// Inodes and ctimes are not compared: the manifest does not record them. Content is not
/// compared either (that would mean reading everything again; `verify --against` does it).
public enum ResumeEvidenceCheck {
    /// Throws a ``ResumeError`` saying which entry (by number: names never reach the terminal)
    /// differs, or returns the number of entries compared.
    @discardableResult
    public static func verify(
        directory: String, roots: [PathBytes], options: FileSystemWalker.Options, shard: ShardPlan?
    ) throws(ResumeError) -> Int {
        guard let checkpoint = ScanJournal.lastCheckpoint(in: directory) else { return 0 }
        let partial = directory + "/" + ManifestWriter.partialName
        let source = access(partial, F_OK) == 0 ? partial : directory + "/" + ManifestWriter.fileName
        guard let input = fopen(source, "re") else { throw ResumeError("'\(directory)' holds no manifest to resume") }
        defer { fclose(input) }
        let walker = FileSystemWalker(roots: roots, options: options)
        var sequence = 0
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var consumed: Int64 = 0
        while consumed < checkpoint.bytes {
            let count = getline(&line, &capacity, input)
            guard count > 0, let line else { throw ResumeError("the manifest in '\(directory)' is shorter than its journal says") }
            consumed += Int64(count)
            guard case .item(let item)? = try? ManifestReader.line(Array(UnsafeRawBufferPointer(start: line, count: count))),
                  item.record.path.layers.isEmpty else { continue }
            // Another shard's entries have no record here.
            var next = walker.next()
            sequence += 1
            while let skipped = shard, !skipped.owns(sequence - 1), next != nil {
                next = walker.next()
                sequence += 1
            }
            guard let entry = next else { throw changed(sequence, "is gone (the walk ends before it)") }
            if let difference = difference(item.record, entry) { throw changed(sequence, difference) }
        }
        // Entries after the last record (another shard's) up to the checkpoint need no check.
        return sequence
    }

    /// What differs between a recorded item and the entry the walk finds in its place, if anything.
    static func difference(_ record: ItemRecord, _ entry: WalkEntry) -> String? {
        if record.path != entry.path { return "is another object: a file was added, removed or renamed before it" }
        if record.kind != entry.kind { return "changed kind (\(record.kind.rawValue) → \(entry.kind.rawValue))" }
        guard let stat = entry.stat else { return nil }
        if let size = record.size, record.kind == .file, record.status != .vanished, size != stat.size {
            return "changed size (\(size) → \(stat.size) bytes)"
        }
        if let mtime = record.mtime, record.kind == .file || record.kind == .symlink, mtime != stat.mtime {
            return "changed its modification time"
        }
        return nil
    }

    private static func changed(_ sequence: Int, _ what: String) -> ResumeError {
        ResumeError("the evidence changed since the interrupted run: walk entry \(sequence) \(what); nothing was resumed (start over with --overwrite)")
    }
}
