import BlindfoldCore
import Dispatch
import Evidence
import Foundation
import KnownHashes

/// The records one walk entry produced (an archive gives its own and its members'), with the
/// bytes read from the evidence and the bytes its members produced.
struct ProcessedItem: Sendable {
    var records: [ItemRecord]
    var bytesRead: Int64
    var memberBytes: Int64
    /// True when the scan was being interrupted as the entry finished: it may be incomplete.
    var interrupted = false
}

/// One worker's tools for turning a walk entry into records: its own libmagic cookie, its own
/// buffers (one per archive nesting level), fresh plugin sessions per item. Not `Sendable`: it
/// lives and dies on one thread.
final class ItemProcessor {
    private let configuration: ScanConfiguration
    private let sniffer: TypeSniffer?
    private let ioGate: DispatchSemaphore
    private let interrupt: InterruptFlag
    private let progress: ScanProgress
    private let analysis: ItemAnalysis
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    private var memberBytes: Int64 = 0
    /// One sniffer per lane for batches of small members (the first is `sniffer`), made on first use.
    private var laneSniffers: [TypeSniffer?] = []

    /// Bytes per read for archive members (the top level uses the configured chunk size).
    private static let memberChunk = 256 << 10

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
        self.analysis = ItemAnalysis(configuration: configuration)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// The records for `entry`: read, sniffed, hashed, expanded and matched, or recorded as it is.
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
            return ProcessedItem(records: [record], bytesRead: 0, memberBytes: 0)
        }
        let file: EvidenceFile
        do {
            file = try EvidenceFile(path: entry.absolute, expected: entry.stat)
        } catch {
            record.status = error.status
            record.reason = error.reason
            return ProcessedItem(records: [record], bytesRead: 0, memberBytes: 0)
        }
        let sizeAtOpen = file.stat.size
        record.size = sizeAtOpen
        record.mtime = file.stat.mtime
        let source = FileChunkSource(file: file, ioGate: ioGate, progress: progress)
        memberBytes = 0
        var members: [ItemRecord] = []
        let total = read(from: source, level: 0, declaredSize: sizeAtOpen, parentBudget: nil, into: &record, members: &members)
        if record.status == .ok, total != sizeAtOpen {
            record.reason = "size changed while the item was read (\(sizeAtOpen) bytes at open, \(total) read)"
        }
        return ProcessedItem(records: [record] + members, bytesRead: total, memberBytes: memberBytes)
    }

    // MARK: - Reading one item

    /// Reads one item from `source` once: sniffs its head, feeds every byte to its plugin
    /// sessions and, when it is a container, to libarchive as well. Fills `record` (hashes,
    /// type, status, matches) and appends the records of its members to `members`.
    ///
    /// - Returns: the bytes read from `source`.
    @discardableResult
    private func read(
        from source: any ChunkSource, level: Int, declaredSize: Int64?, parentBudget: ExpansionBudget?,
        into record: inout ItemRecord, members: inout [ItemRecord]
    ) -> Int64 {
        let buffer = buffer(for: level)
        var total: Int64 = 0
        var sessions: ItemAnalysis.Sessions = []
        do throws(ItemReadError) {
            // The head libmagic sees: archive members come in small pieces (a tar block, what
            // is left of a decompressor's window), so read until the head is full or the item ends.
            let wanted = min(buffer.count, configuration.sniffOptions?.headBytes ?? 1)
            var first = 0
            while first < wanted {
                let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[first...]))
                if count == 0 { break }
                first += count
                total = Int64(first)
            }
            let head = UnsafeRawBufferPointer(rebasing: buffer[0..<first])
            analysis.identify(head, with: sniffer, into: &record)
            sessions = analysis.sessions(for: record, size: declaredSize)
            let parallel = sessions.count > 1 && (declaredSize ?? 0) >= configuration.parallelDigestThreshold
            let feed: (UnsafeRawBufferPointer) -> Void = { [sessions] chunk in
                ItemAnalysis.feed(sessions, chunk, parallel: parallel)
            }
            feed(head)

            if let access = configuration.expandArchives ? ArchiveDetection.access(for: record.mime) : nil, first > 0 {
                total = try expand(
                    source: source, access: access, buffer: buffer, firstCount: first, level: level,
                    declaredSize: declaredSize, parentBudget: parentBudget, feed: feed, record: &record,
                    members: &members, consumed: &total)
            } else {
                var count = first
                while count > 0 {
                    if interrupt.isRaised {
                        throw ItemReadError(status: .skipped, reason: interrupt.itemReason)
                    }
                    count = try source.read(into: buffer)
                    total += Int64(count)
                    feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
            }
        } catch {
            record.status = error.status
            let size = declaredSize.map { " of \($0)" } ?? ""
            record.reason = "\(error.reason) (after \(total)\(size) bytes)"
            return total
        }
        if level > 0 { record.size = total }
        analysis.finish(sessions, into: &record)
        return total
    }

    // MARK: - Containers

    /// Reads a container through a tee (hashing it) while libarchive lists its members, then
    /// reads whatever libarchive left. Returns the container's byte count.
    private func expand(
        source: any ChunkSource, access: ArchiveAccess, buffer: UnsafeMutableRawBufferPointer, firstCount: Int,
        level: Int, declaredSize: Int64?, parentBudget: ExpansionBudget?,
        feed: @escaping (UnsafeRawBufferPointer) -> Void, record: inout ItemRecord, members: inout [ItemRecord],
        consumed: inout Int64
    ) throws(ItemReadError) -> Int64 {
        let limits = configuration.limits
        let tee = TeeInput(
            source: source, buffer: buffer, firstCount: firstCount, interrupt: interrupt,
            keepCopyUpTo: access == .seeking ? limits.seekableArchiveBytes : nil, feed: feed)
        // Whatever happens below, the bytes read so far are reported truthfully.
        defer { consumed = tee.consumed }
        if let reason = depthLimitReason(record) {
            try tee.drain()
            Self.apply((.limit, reason), to: &record)
            return tee.consumed
        }
        let budget = ExpansionBudget(
            limits: limits, containerSize: { [unowned tee] in tee.consumed }, declaredSize: declaredSize,
            parent: parentBudget)
        var note: (ItemStatus, String)?
        switch access {
        case .streaming:
            do throws(ItemReadError) {
                let reader = try ArchiveReader(input: tee)
                note = list(reader, level: level, budget: budget, container: &record, members: &members)
            } catch {
                note = (error.status, error.reason)
            }
            if let failure = tee.failure { throw failure }
            try tee.drain()
        case .seeking:
            try tee.drain()
            if tee.copyOverflowed {
                note = (.limit, "seekable_archive_bytes: larger than \(limits.seekableArchiveBytes) bytes, so hashed but not expanded")
            } else {
                note = tee.copy.withUnsafeBytes { memory in
                    listInMemory(memory, level: level, budget: budget, container: &record, members: &members)
                }
            }
        }
        Self.apply(note, to: &record)
        return tee.consumed
    }

    /// Lists a container whose bytes are all in memory; returns why listing stopped early.
    private func listInMemory(
        _ memory: UnsafeRawBufferPointer, level: Int, budget: ExpansionBudget, container: inout ItemRecord,
        members: inout [ItemRecord]
    ) -> (ItemStatus, String)? {
        do throws(ItemReadError) {
            let reader = try ArchiveReader(memory: memory)
            return list(reader, level: level, budget: budget, container: &container, members: &members)
        } catch {
            return (error.status, error.reason)
        }
    }

    /// The reason a container at this depth is not opened, or nil when it may be.
    private func depthLimitReason(_ record: ItemRecord) -> String? {
        let depth = record.path.layers.count
        guard depth >= configuration.limits.archiveDepth else { return nil }
        return "archive_depth: nested \(depth) archives deep; its members are not examined"
    }

    private static func apply(_ note: (ItemStatus, String)?, to record: inout ItemRecord) {
        guard let (status, reason) = note else { return }
        record.status = status
        record.reason = reason
    }

    /// Lists every member of `reader`: records for special members, reads regular ones
    /// (recursing into nested containers). Small members are read whole and analysed in
    /// batches on every core; records keep archive order. Returns why listing stopped early.
    private func list(
        _ reader: ArchiveReader, level: Int, budget: ExpansionBudget, container: inout ItemRecord,
        members: inout [ItemRecord]
    ) -> (ItemStatus, String)? {
        var listed = 0
        var produced: Int64 = 0
        var batch = MemberBatch()
        defer {
            container.container = ContainerInfo(format: reader.formatName, members: listed, memberBytes: produced)
            memberBytes += level == 0 ? produced : 0
        }
        func stop(_ note: (ItemStatus, String)?) -> (ItemStatus, String)? {
            flush(&batch, level: level, budget: budget, into: &members)
            if note == nil, let exhausted = budget.exhausted { return (exhausted.status, exhausted.reason) }
            return note
        }
        while true {
            if interrupt.isRaised { return stop((.skipped, interrupt.cause == .budget ? "the time budget ran out while its members were listed" : "scan interrupted while its members were listed")) }
            let entry: ArchiveEntry
            switch reader.next() {
            case .end: return stop(nil)
            case .failure(let status, let reason): return stop((status, reason))
            case .entry(let next): entry = next
            }
            listed += 1
            if listed > configuration.limits.entriesPerArchive {
                return stop((.limit, "entries_per_archive: more than \(configuration.limits.entriesPerArchive) members; the rest are not examined"))
            }
            if entry.kind == .directory { continue }
            var path = container.path
            path.layers.append(VirtualPath.Layer(format: reader.formatName, member: entry.name))
            var member = ItemRecord(path: path, kind: entry.kind)
            member.size = entry.declaredSize
            member.mtime = entry.mtime
            if entry.isHardLink || entry.kind != .file {
                member.linkTarget = entry.linkTarget
                member.status = .notOpened
                member.reason = entry.isHardLink
                    ? "hard link inside the archive; its data is recorded under the member it links to"
                    : "special member (\(entry.kind.rawValue)), recorded and never opened"
                batch.add(MemberBatch.Job(record: member, data: [], readFailed: true))
                continue
            }
            if entry.isEncrypted {
                member.status = .encrypted
                member.reason = "member data is encrypted; no key is used"
                batch.add(MemberBatch.Job(record: member, data: [], readFailed: true))
                continue
            }
            let source = MemberChunkSource(reader: reader, budget: budget)
            if let size = entry.declaredSize, size <= MemberBatch.memberLimit {
                let job = readWhole(source, member, level: level + 1)
                produced += Int64(job.data.count)
                batch.add(job)
                if batch.isFull { flush(&batch, level: level, budget: budget, into: &members) }
            } else {
                flush(&batch, level: level, budget: budget, into: &members)
                var nested: [ItemRecord] = []
                produced += read(
                    from: source, level: level + 1, declaredSize: entry.declaredSize, parentBudget: budget,
                    into: &member, members: &nested)
                members.append(member)
                members.append(contentsOf: nested)
            }
            if let exhausted = budget.exhausted { return stop((exhausted.status, exhausted.reason)) }
        }
    }

    /// Reads a small member into memory (its bytes are still read once, and charged to the budgets).
    private func readWhole(_ source: MemberChunkSource, _ member: ItemRecord, level: Int) -> MemberBatch.Job {
        let buffer = buffer(for: level)
        var data: [UInt8] = []
        var record = member
        do throws(ItemReadError) {
            while true {
                if interrupt.isRaised {
                    throw ItemReadError(status: .skipped, reason: interrupt.itemReason)
                }
                let count = try source.read(into: buffer)
                if count == 0 { break }
                data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                // Batched because its header declared at most 1 MiB; one that produces more is
                // lying, and is not held in memory past that.
                if data.count > Int(MemberBatch.memberLimit) {
                    throw ItemReadError(
                        status: .limit,
                        reason: "declared_size: the member produced more than the \(member.size ?? 0) bytes its header declares")
                }
            }
        } catch {
            record.status = error.status
            let size = member.size.map { " of \($0)" } ?? ""
            record.reason = "\(error.reason) (after \(data.count)\(size) bytes)"
            return MemberBatch.Job(record: record, data: [], readFailed: true)
        }
        return MemberBatch.Job(record: record, data: data, readFailed: false)
    }

    /// Analyses the batched members on every core, expands the ones that are containers
    /// (from memory, in order), and appends all their records.
    private func flush(_ batch: inout MemberBatch, level: Int, budget: ExpansionBudget, into members: inout [ItemRecord]) {
        guard !batch.isEmpty else { return }
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        if laneSniffers.isEmpty {
            // One cookie per lane; a lane whose cookie cannot be made (out of descriptors, say)
            // is simply not used: a cookie is never shared between lanes.
            laneSniffers.append(sniffer)
            for _ in 1..<lanes where sniffer != nil {
                guard let options = configuration.sniffOptions, let extra = try? TypeSniffer(options: options) else { break }
                laneSniffers.append(extra)
            }
            if sniffer == nil { laneSniffers = Array(repeating: nil, count: lanes) }
        }
        let jobs = MemberBatch.analyse(batch.take(), sniffers: laneSniffers, analysis: analysis)
        for var job in jobs {
            var nested: [ItemRecord] = []
            if !job.readFailed, configuration.expandArchives, let access = ArchiveDetection.access(for: job.record.mime) {
                expandInMemory(job.data, access: access, level: level + 1, parentBudget: budget, record: &job.record, members: &nested)
            }
            members.append(job.record)
            members.append(contentsOf: nested)
        }
    }

    /// Expands a container whose bytes are all in memory (a small member).
    private func expandInMemory(
        _ data: [UInt8], access: ArchiveAccess, level: Int, parentBudget: ExpansionBudget,
        record: inout ItemRecord, members: inout [ItemRecord]
    ) {
        if let reason = depthLimitReason(record) {
            Self.apply((.limit, reason), to: &record)
            return
        }
        let size = Int64(data.count)
        let budget = ExpansionBudget(
            limits: configuration.limits, containerSize: { size }, declaredSize: size, parent: parentBudget)
        let note = data.withUnsafeBytes { memory in
            listInMemory(memory, level: level, budget: budget, container: &record, members: &members)
        }
        Self.apply(note, to: &record)
    }

    // MARK: - Helpers

    private func buffer(for level: Int) -> UnsafeMutableRawBufferPointer {
        while buffers.count <= level {
            let size = buffers.isEmpty ? configuration.chunkSize : Self.memberChunk
            buffers.append(UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64))
        }
        return buffers[level]
    }
}
