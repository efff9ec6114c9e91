import BlindfoldCore
import Dispatch
import Evidence
import KnownHashes

/// A record together with the bytes read to make it.
struct ProcessedItem: Sendable {
    var record: ItemRecord
    var bytesRead: Int64
}

/// One worker's tools for turning a walk entry into a record: its own libmagic cookie, its own
/// read buffer, fresh plugin sessions per item. Not `Sendable`: it lives and dies on one thread.
final class ItemProcessor {
    private let configuration: ScanConfiguration
    private let sniffer: TypeSniffer?
    private let ioGate: DispatchSemaphore
    private let interrupt: InterruptFlag
    private let progress: ScanProgress
    private let buffer: UnsafeMutableRawBufferPointer

    init(
        configuration: ScanConfiguration, ioGate: DispatchSemaphore, interrupt: InterruptFlag,
        progress: ScanProgress
    ) throws(MagicError) {
        self.configuration = configuration
        self.sniffer = try configuration.sniffOptions.map { options throws(MagicError) in
            try TypeSniffer(options: options)
        }
        self.ioGate = ioGate
        self.interrupt = interrupt
        self.progress = progress
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: configuration.chunkSize, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// The record for `entry`: read, sniffed, hashed and matched, or recorded as it is.
    func process(_ entry: WalkEntry) -> ProcessedItem {
        var record = ItemRecord(path: entry.path, kind: entry.kind)
        record.size = entry.stat?.size
        record.mtime = entry.stat?.mtime
        record.linkTarget = entry.linkTarget
        guard case .read = entry.disposition else {
            if case .record(let status, let reason) = entry.disposition {
                record.status = status
                record.reason = reason
            }
            return ProcessedItem(record: record, bytesRead: 0)
        }
        let bytesRead = read(entry, into: &record)
        if record.status == .ok, !record.hashes.isEmpty {
            record.matches = configuration.matcher.matches(for: record.hashes)
        }
        return ProcessedItem(record: record, bytesRead: bytesRead)
    }

    /// Reads every byte of a regular file once, feeding libmagic and every plugin session.
    private func read(_ entry: WalkEntry, into record: inout ItemRecord) -> Int64 {
        let file: EvidenceFile
        do {
            file = try EvidenceFile(path: entry.absolute, expected: entry.stat)
        } catch {
            record.status = error.status
            record.reason = error.reason
            return 0
        }
        let sizeAtOpen = file.stat.size
        record.size = sizeAtOpen
        record.mtime = file.stat.mtime

        var total: Int64 = 0
        var sessions: [(id: String, session: any HashSession)] = []
        do {
            let first = try readChunk(file)
            total += Int64(first)
            let head = UnsafeRawBufferPointer(rebasing: buffer[0..<first])
            if let sniffer {
                let signature = sniffer.sniff(head)
                record.mime = signature.mime
                record.description = signature.description
                record.extensionMismatch = ExtensionCheck.isMismatch(
                    name: entry.path.effectiveName, mime: signature.mime)
            }
            let context = ItemContext(mime: record.mime, size: sizeAtOpen)
            for plugin in configuration.registry.plugins where plugin.descriptor.applies(to: context) {
                if let session = plugin.makeSession(for: context) { sessions.append((plugin.descriptor.id, session)) }
            }
            let parallel = sessions.count > 1 && sizeAtOpen >= configuration.parallelDigestThreshold
            var count = first
            while count > 0 {
                feed(sessions, UnsafeRawBufferPointer(rebasing: buffer[0..<count]), parallel: parallel)
                if interrupt.isRaised {
                    record.status = .skipped
                    record.reason = "scan interrupted before the item was read to the end (\(total) of \(sizeAtOpen) bytes)"
                    return total
                }
                count = try readChunk(file)
                total += Int64(count)
            }
        } catch {
            record.status = error.status
            record.reason = "\(error.reason) after \(total) of \(sizeAtOpen) bytes"
            return total
        }
        record.size = total
        if total != sizeAtOpen {
            record.reason = "size changed while the item was read (\(sizeAtOpen) bytes at open, \(total) read)"
        }
        for (id, session) in sessions {
            switch session.finish() {
            case .values(let outputs): record.hashes.append(contentsOf: outputs)
            case .notApplicable: break
            case .failure(let failure): record.pluginErrors.append(PluginErrorNote(plugin: id, reason: failure.recorded))
            }
        }
        return total
    }

    private func readChunk(_ file: borrowing EvidenceFile) throws(ItemReadError) -> Int {
        ioGate.wait()
        defer { ioGate.signal() }
        let count = try file.read(into: buffer)
        progress.read(count)
        return count
    }

    /// Feeds one chunk to every session; for large items each session runs on its own core.
    private func feed(_ sessions: [(id: String, session: any HashSession)], _ chunk: UnsafeRawBufferPointer, parallel: Bool) {
        if parallel {
            let lanes = ParallelLanes(sessions: sessions.map(\.session), chunk: chunk)
            DispatchQueue.concurrentPerform(iterations: lanes.sessions.count) { index in
                lanes.sessions[index].update(lanes.chunk)
            }
        } else {
            for entry in sessions { entry.session.update(chunk) }
        }
    }
}

/// The sessions of one item and one chunk, handed to `concurrentPerform` for one round.
///
/// `@unchecked Sendable` is safe here because of how it is used: each iteration touches exactly
/// one session (its own index), the chunk is only read, and `concurrentPerform` returns only
/// after every iteration finished, so no session is used by two threads at once and the chunk
/// outlives every reader. Nothing keeps this value beyond that call.
private struct ParallelLanes: @unchecked Sendable {
    let sessions: [any HashSession]
    let chunk: UnsafeRawBufferPointer
}
