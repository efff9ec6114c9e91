import BlindfoldCore
import Dispatch
import Evidence
import Foundation
import Logging
import Manifest

/// How a scan ended.
public struct ScanOutcome: Sendable {
    /// The tallies.
    public var summary: ScanSummary
    /// False when the scan was interrupted or its output failed.
    public var complete: Bool
    /// The manifest's SHA-256, when it was written.
    public var manifestSHA256: String?
    /// Why the manifest could not be written, if it could not.
    public var outputError: ManifestError?
    /// Wall-clock seconds.
    public var durationSeconds: Double
    /// What stopped the scan early, if anything did.
    public var stoppedBy: InterruptFlag.Cause?
    /// What the walk found and what was examined (filled for every scan).
    public var coverage: TriageCoverage
}

/// Runs one scan: walks the roots, reads and hashes every item with `jobs` workers, and writes
/// the manifest in walk order.
public struct Scan: Sendable {
    private let configuration: ScanConfiguration
    private let logger: Logger

    /// A scan of `configuration`.
    public init(configuration: ScanConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs to the end (or until `interrupt` is raised) and returns how it went.
    ///
    /// - Throws: ``ManifestError`` when the manifest cannot even be started, or ``MagicError``
    ///   when libmagic cannot be set up; nothing has been read then.
    ///
    /// With `resume`, the partial manifest (prepared by ``ScanResume/prepare(directory:started:)``)
    /// is continued after its kept entries instead of being started anew.
    public func run(interrupt: InterruptFlag, progress: ScanProgress, resume: ResumePoint? = nil) throws -> ScanOutcome {
        let started = Timestamp.now()
        // Fail before any evidence is read when libmagic is unusable.
        if let options = configuration.sniffOptions { _ = try TypeSniffer(options: options) }
        let directory = configuration.outputDirectory
        let writer = try ManifestWriter(directory: directory, continuing: resume != nil)
        let journal = try ScanJournal(directory: directory, truncate: resume == nil)
        if resume == nil {
            writer.append(configuration.header(started: started).manifestJSON)
            guard let bytes = writer.checkpoint() else {
                throw ManifestError(path: directory, operation: "write the manifest header in", code: EIO)
            }
            journal.record(ScanCheckpoint(entries: 0, bytes: bytes))
        }

        let sink = OrderedRecordSink(
            writer: writer, journal: journal, configuration: configuration, progress: progress, resume: resume)
        let walker = FileSystemWalker(
            roots: configuration.roots, options: configuration.walkOptions, shouldStop: { interrupt.isRaised })
        let coverage = TriageCoverage()
        let queue: any EntrySource = configuration.triage
            ? TriageQueue(walker: walker, coverage: coverage, interrupt: interrupt, progress: progress)
            : WorkQueue(walker: walker, skip: resume?.entries ?? 0)
        let budgetTimer = configuration.budgetSeconds.map { BudgetTimer(seconds: $0, interrupt: interrupt) }
        let ioGate = DispatchSemaphore(value: max(1, configuration.ioJobs))
        let setupFailure = FirstFailure<MagicError>()

        let workers = DispatchGroup()
        for index in 0..<configuration.jobs {
            workers.enter()
            let thread = Thread { [configuration, logger] in
                defer { workers.leave() }
                let processor: ItemProcessor
                do {
                    processor = try ItemProcessor(
                        configuration: configuration, ioGate: ioGate, interrupt: interrupt, progress: progress)
                } catch let error as MagicError {
                    setupFailure.record(error)
                    interrupt.raise()
                    return
                } catch {
                    setupFailure.record(MagicError(message: "\(error)"))
                    interrupt.raise()
                    return
                }
                logger.debug("worker started", metadata: ["worker": "\(index)"])
                while !interrupt.isRaised {
                    sink.waitForRoom(before: queue.nextSequence, interrupt: interrupt)
                    if interrupt.isRaised { break }
                    guard let queued = queue.next() else { break }
                    let (sequence, entry) = (queued.sequence, queued.entry)
                    if let shard = configuration.shard, !shard.owns(sequence) {
                        // Another shard's entry: not read, not recorded; the sink only moves past it.
                        sink.deliver(ProcessedItem(records: [], bytesRead: 0, memberBytes: 0), sequence: sequence)
                        continue
                    }
                    if let firstPass = queued.firstPass, let triage = queue as? TriageQueue {
                        // A triage's second pass: the whole item, or else its first pass as it was.
                        let whole = processor.process(entry)
                        let finished = !interrupt.isRaised && whole.records.first?.sidecar?.complete == true
                        if triage.release(sequence) { sink.deliver(finished ? whole : firstPass, sequence: sequence) }
                        continue
                    }
                    progress.itemFound()
                    var item = processor.process(entry, firstPass: configuration.triage)
                    item.interrupted = interrupt.isRaised
                    if !item.interrupted { coverage.examined(entry, media: queued.isMedia) }
                    if let triage = queue as? TriageQueue {
                        // A video whose first seconds only were hashed waits for a second pass.
                        if item.isPartial && !item.interrupted {
                            triage.hold(queued, item: item)
                            sink.deliver(ProcessedItem(records: [], bytesRead: 0, memberBytes: 0), sequence: sequence)
                            continue
                        }
                        triage.finished()
                    }
                    for (index, record) in item.records.enumerated() where record.status != .ok {
                        logger.info(
                            "item not read in full",
                            metadata: ["item": "\(sequence).\(index)", "status": "\(record.status.rawValue)"])
                    }
                    sink.deliver(item, sequence: sequence)
                }
            }
            thread.name = "blindfold-worker-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        let stuck = Self.waitForWorkers(workers, interrupt: interrupt)
        budgetTimer?.cancel()
        if stuck {
            logger.warning("workers did not stop within the grace period after the interruption; the manifest is closed without them")
        }

        if let failure = setupFailure.value { throw failure }
        // Videos whose second pass the budget cut off keep their first pass (the first seconds).
        if let triage = queue as? TriageQueue {
            for (sequence, item) in triage.drainHeld() { sink.deliver(item, sequence: sequence) }
        }
        // An entry a stuck worker still holds is never delivered: the manifest ends before it,
        // complete: false, and a resumed scan reads it again.
        let complete = !interrupt.isRaised
        let (summary, result) = sink.finish(started: started, complete: complete)
        let finished = Timestamp.now()
        switch result {
        case .success(let digest):
            if complete || configuration.triage { ScanJournal.remove(in: directory) }
            return ScanOutcome(
                summary: summary, complete: complete, manifestSHA256: digest, outputError: nil,
                durationSeconds: started.seconds(until: finished), stoppedBy: interrupt.cause, coverage: coverage)
        case .failure(let error):
            logger.error("manifest could not be written", metadata: ["error": "\(error)"])
            return ScanOutcome(
                summary: summary, complete: false, manifestSHA256: nil, outputError: error,
                durationSeconds: started.seconds(until: finished), stoppedBy: interrupt.cause, coverage: coverage)
        }
    }

    /// How long workers may take to stop once the scan is interrupted: an item being read stops
    /// at its next chunk, so only a parser stuck inside a library takes longer.
    static let stopGraceSeconds = 5.0

    /// Waits for every worker; once the scan is interrupted, waits at most
    /// ``stopGraceSeconds`` more. Returns true when workers were left behind, still stuck.
    private static func waitForWorkers(_ workers: DispatchGroup, interrupt: InterruptFlag) -> Bool {
        var interruptedAt: DispatchTime?
        while workers.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            guard interrupt.isRaised else { continue }
            let since = interruptedAt ?? .now()
            interruptedAt = since
            if DispatchTime.now().uptimeNanoseconds - since.uptimeNanoseconds > UInt64(stopGraceSeconds * 1e9) {
                return true
            }
        }
        return false
    }
}
