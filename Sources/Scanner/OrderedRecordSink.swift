import BlindfoldCore
import Foundation
import Manifest

/// Receives records from the workers in any order and writes them to the manifest in walk
/// order, so two scans of one tree give identical item lines.
///
/// Memory stays bounded: a worker may start item `n` only while `n` is less than `window`
/// items ahead of the oldest unwritten one (``waitForRoom(before:interrupt:)``), so at most
/// `window` finished records wait here whatever the size of the tree.
final class OrderedRecordSink: @unchecked Sendable {
    // Safety: every stored `var` below (and the non-Sendable writer) is read and written only
    // while `condition` is locked; the `let`s are immutable after init.
    private let condition = NSCondition()
    private let writer: ManifestWriter
    private let window: Int
    private let multipleRoots: Bool
    private let progress: ScanProgress
    private let journal: ScanJournal
    private let checkpointBytes: Int
    private var pending: [Int: ProcessedItem] = [:]
    private var nextToWrite: Int
    private var summary: ScanSummary
    /// False once an entry recorded while the scan was being interrupted is written: no
    /// checkpoint may then cover it, so a resumed scan reads that entry again.
    private var checkpointing = true
    /// True once the summary is written: a worker that was left behind, stuck, and delivers
    /// afterwards is ignored.
    private var finished = false
    private let started = Timestamp.now()

    /// A sink writing to `writer` and `journal` with the configuration's checkpoint interval
    /// and a window of 64 entries per worker (at least 256).
    init(
        writer: ManifestWriter, journal: ScanJournal, configuration: ScanConfiguration, progress: ScanProgress,
        resume: ResumePoint?
    ) {
        self.writer = writer
        self.journal = journal
        self.checkpointBytes = configuration.checkpointBytes
        self.window = max(256, configuration.jobs * 64)
        self.multipleRoots = configuration.roots.count > 1
        self.progress = progress
        self.nextToWrite = resume?.entries ?? 0
        self.summary = resume?.summary ?? ScanSummary()
    }

    /// Blocks until item `sequence` fits in the window, or the scan is interrupted.
    func waitForRoom(before sequence: Int, interrupt: InterruptFlag) {
        condition.lock()
        defer { condition.unlock() }
        while sequence - nextToWrite >= window && !interrupt.isRaised {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.2))
        }
    }

    /// Hands over the record of item `sequence`; writes every record that is now in order.
    func deliver(_ item: ProcessedItem, sequence: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard !finished else { return }
        pending[sequence] = item
        var wrote = false
        while let next = pending.removeValue(forKey: nextToWrite) {
            if next.interrupted && checkpointing {
                checkpoint()
                checkpointing = false
            }
            var first = true
            next.forEachRecord(multipleRoots: multipleRoots) { record, line in
                writer.append(line)
                summary.add(record, bytesRead: first ? next.bytesRead : 0)
                first = false
                progress.itemDone()
                if summary.firstKnownBadSeconds == nil, summary.knownBadItems > 0 {
                    summary.firstKnownBadSeconds = started.seconds(until: Timestamp.now())
                }
            }
            summary.memberBytes += next.memberBytes
            nextToWrite += 1
            wrote = true
            if checkpointing && writer.bufferedBytes >= checkpointBytes { checkpoint() }
        }
        if wrote { condition.broadcast() }
    }

    /// Syncs the manifest and journals that every entry before `nextToWrite` is on disk.
    private func checkpoint() {
        guard let bytes = writer.checkpoint() else {
            // The manifest could not be written or synced: no later checkpoint can be trusted.
            checkpointing = false
            return
        }
        journal.record(ScanCheckpoint(entries: nextToWrite, bytes: bytes))
    }

    /// Writes the summary line and closes the manifest. Call after every worker has stopped.
    func finish(started: Timestamp, complete: Bool) -> (summary: ScanSummary, result: Result<String, ManifestError>) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        // Records after a gap (an item that was never delivered) cannot be written in order;
        // this only happens when the scan was interrupted, and the summary then says incomplete.
        if checkpointing { checkpoint() }
        let finished = Timestamp.now()
        writer.append(summary.manifestJSON(
            finished: finished, durationSeconds: started.seconds(until: finished),
            complete: complete && pending.isEmpty))
        do {
            return (summary, .success(try writer.finish()))
        } catch {
            return (summary, .failure(error))
        }
    }
}
