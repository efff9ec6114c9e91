import BlindfoldCore
import Dispatch
import Evidence
import Foundation
import KnownHashes
import Manifest

/// The records one walk entry produced (a container gives its own and its members'), with the
/// bytes read from the evidence and the bytes its members produced.
struct ProcessedItem: Sendable {
    /// The records in manifest order; for an entry that spilled, only those held in memory.
    var records: [ItemRecord]
    var bytesRead: Int64
    var memberBytes: Int64
    /// True when the scan was being interrupted as the entry finished: it may be incomplete.
    var interrupted = false
    /// True when a triage's first pass hashed part of the item only (a video's first seconds).
    var isPartial: Bool { records.first?.sidecar?.complete == false }

    /// For an entry whose records were partly spilled: every record in order, held or spilled.
    var spilled: SpilledRecords?

    /// Calls `body` with every record in manifest order and the line it is written as.
    func forEachRecord(multipleRoots: Bool, _ body: (ItemRecord, JSONValue) -> Void) {
        guard let spilled else {
            for record in records { body(record, record.manifestJSON(multipleRoots: multipleRoots)) }
            return
        }
        for piece in spilled.pieces {
            switch piece {
            case .record(let record): body(record, record.manifestJSON(multipleRoots: multipleRoots))
            case .spilled(let range):
                spilled.spill.read(range) { item in body(item.record, item.manifestJSON(multipleRoots: multipleRoots)) }
            }
        }
    }
}

/// An entry's records when some were spilled: held records and ranges of the spill file, in
/// manifest order.
///
/// `@unchecked Sendable` because of the spill (see ``RecordSpill``: the sink reads only ranges
/// its owning thread finished writing); everything else is values.
struct SpilledRecords: @unchecked Sendable {
    enum Piece: Sendable {
        case record(ItemRecord)
        case spilled(Range<UInt64>)
    }

    let pieces: [Piece]
    let spill: RecordSpill
}

/// One worker's tools for turning a walk entry into records: its own libmagic cookies, its own
/// buffers (one per nesting level), fresh plugin sessions per item. Not `Sendable`: it lives
/// and dies on one thread.
///
/// The work is split by step: ``read(from:record:context:)`` (ItemReading.swift) reads any
/// item once; ``expand(_:tee:record:context:)`` and ``list(_:record:context:)``
/// (ContainerExpansion.swift) open containers of every kind and read their members;
/// ``flush(_:context:)`` (MemberBatch.swift) analyses small members on every core.
final class ItemProcessor {
    let configuration: ScanConfiguration
    let sniffer: TypeSniffer?
    let interrupt: InterruptFlag
    let analysis: ItemAnalysis
    /// The container kinds this scan opens, asked in order (empty: containers are only hashed).
    let containerFormats: [any ContainerFormat]
    /// How many leading bytes identify an item: libmagic's window, or enough for a container
    /// format's signature when sniffing is off.
    let headBytes: Int
    private let ioGate: DispatchSemaphore
    private let progress: ScanProgress
    private var buffers: [UnsafeMutableRawBufferPointer] = []
    /// One sniffer per lane for batches of small members (the first is `sniffer`), made on first use.
    var laneSniffers: [TypeSniffer?] = []
    /// Where this thread's containers with very many members put their finished records.
    private let spill: RecordSpill
    /// True while a triage's first pass processes an entry (``ItemContext/firstPass``).
    private(set) var firstPass = false

    /// Bytes per read for container members (the top level uses the configured chunk size).
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
        self.containerFormats = configuration.expandArchives ? configuration.containerFormats : []
        self.headBytes = configuration.sniffOptions?.headBytes ?? (containerFormats.isEmpty ? 1 : 4096)
        self.spill = RecordSpill(
            directory: configuration.outputDirectory, multipleRoots: configuration.roots.count > 1,
            holdLimit: configuration.recordHoldLimit)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// The records for `entry`: read, sniffed, hashed, expanded and matched, or recorded as it is.
    /// With `firstPass` (a triage), a video file gets its first seconds hashed only.
    func process(_ entry: WalkEntry, firstPass: Bool = false) -> ProcessedItem {
        self.firstPass = firstPass
        defer { self.firstPass = false }
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
            file = try EvidenceFile(at: entry.location, expected: entry.stat)
        } catch {
            record.status = error.status
            record.reason = error.reason
            return ProcessedItem(records: [record], bytesRead: 0, memberBytes: 0)
        }
        let sizeAtOpen = file.size
        record.size = sizeAtOpen
        record.mtime = file.stat.mtime
        let source = FileChunkSource(file: file, location: entry.location, ioGate: ioGate, progress: progress)
        let records = RecordList(spill: spill)
        let place = records.reserve(record)
        let total = read(from: source, record: &record, context: .walkEntry(records: records))
        if record.status == .ok, total != sizeAtOpen {
            record.reason = "size changed while the item was read (\(sizeAtOpen) bytes at open, \(total) read)"
        }
        records.fill(place, with: record)
        return ProcessedItem(
            records: records.records, bytesRead: total, memberBytes: record.container?.memberBytes ?? 0,
            spilled: records.finished(spill: spill))
    }

    /// The read buffer of nesting level `level` (one per level, reused for every item there).
    func buffer(for level: Int) -> UnsafeMutableRawBufferPointer {
        while buffers.count <= level {
            let size = buffers.isEmpty ? configuration.chunkSize : Self.memberChunk
            buffers.append(UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64))
        }
        return buffers[level]
    }
}
