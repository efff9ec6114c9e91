import BlindfoldCore
import Evidence
import Foundation
import Synchronization

/// Coverage of a triage: what the walk found and what was examined, overall and for media.
public final class TriageCoverage: Sendable {
    private let foundCount = Atomic<Int64>(0)
    private let foundByteCount = Atomic<Int64>(0)
    private let foundMediaCount = Atomic<Int64>(0)
    private let examinedCount = Atomic<Int64>(0)
    private let examinedByteCount = Atomic<Int64>(0)
    private let examinedMediaCount = Atomic<Int64>(0)

    /// Zeroed counters.
    public init() {}

    /// Entries the walk found.
    public var found: Int64 { foundCount.load(ordering: .relaxed) }
    /// Bytes (apparent sizes) of the regular files the walk found.
    public var foundBytes: Int64 { foundByteCount.load(ordering: .relaxed) }
    /// Media entries the walk found.
    public var foundMedia: Int64 { foundMediaCount.load(ordering: .relaxed) }
    /// Entries examined to the end.
    public var examined: Int64 { examinedCount.load(ordering: .relaxed) }
    /// Bytes of the files examined to the end.
    public var examinedBytes: Int64 { examinedByteCount.load(ordering: .relaxed) }
    /// Media entries examined to the end.
    public var examinedMedia: Int64 { examinedMediaCount.load(ordering: .relaxed) }

    func found(_ entry: WalkEntry, media: Bool) {
        foundCount.add(1, ordering: .relaxed)
        if case .read = entry.disposition { foundByteCount.add(entry.stat?.size ?? 0, ordering: .relaxed) }
        if media { foundMediaCount.add(1, ordering: .relaxed) }
    }

    func examined(_ entry: WalkEntry, media: Bool) {
        examinedCount.add(1, ordering: .relaxed)
        if case .read = entry.disposition { examinedByteCount.add(entry.stat?.size ?? 0, ordering: .relaxed) }
        if media { examinedMediaCount.add(1, ordering: .relaxed) }
    }
}

/// Triage order: a walker thread enumerates while workers already hash, and workers always take
/// the most promising entry found so far (media, then other files, then system folders).
///
/// Memory grows with the number of entries found but not yet examined (a few hundred bytes
/// each): the price of choosing the order, accepted for triage, which stops at its budget.
final class TriageQueue: EntrySource, @unchecked Sendable {
    // Safety: `buckets`, `heads`, `walkDone` and `issued` are read and written only while
    // `condition` is locked; the `let`s are immutable or Sendable.
    private let condition = NSCondition()
    private var buckets: [[QueuedEntry]] = Array(repeating: [], count: TriagePriority.allCases.count)
    private var heads = Array(repeating: 0, count: TriagePriority.allCases.count)
    private var walkDone = false
    private var issued = 0
    /// First-pass entries handed out and not finished yet: they may still hold a video back.
    private var working = 0
    /// Entries a first pass hashed in part (a video's first seconds), waiting for their second
    /// pass after every other entry; and those being read again, by sequence.
    private var held: [QueuedEntry] = []
    private var continuing: [Int: ProcessedItem] = [:]
    private let interrupt: InterruptFlag
    private let mediaOnlyUntil = Date().addingTimeInterval(TriageQueue.mediaGrace)

    /// For this long after the start only media is handed out unless the walk is over, so
    /// that the first files the walk meets do not take the workers before the pictures.
    static let mediaGrace: TimeInterval = 0.25

    init(walker: sending FileSystemWalker, coverage: TriageCoverage, interrupt: InterruptFlag, progress: ScanProgress) {
        self.interrupt = interrupt
        let source = Mutex(walker)
        let thread = Thread { [self] in
            source.withLock { walker in
                while !interrupt.isRaised, let entry = walker.next() {
                    let priority = TriagePriority.of(entry)
                    coverage.found(entry, media: priority == .media)
                    add(QueuedEntry(sequence: -1, entry: entry, isMedia: priority == .media), priority)
                }
            }
            if !interrupt.isRaised { progress.setTotal(bytes: coverage.foundBytes) }
            finishWalk()
        }
        thread.name = "blindfold-triage-walk"
        thread.start()
    }

    var nextSequence: Int {
        condition.lock()
        defer { condition.unlock() }
        return issued
    }

    func next() -> QueuedEntry? {
        condition.lock()
        defer { condition.unlock() }
        while !interrupt.isRaised {
            let mediaOnly = !walkDone && Date() < mediaOnlyUntil
            for index in buckets.indices where heads[index] < buckets[index].count {
                if mediaOnly && index != TriagePriority.media.rawValue { break }
                var queued = buckets[index][heads[index]]
                heads[index] += 1
                if heads[index] >= 4096 && heads[index] * 2 >= buckets[index].count {
                    buckets[index].removeFirst(heads[index])
                    heads[index] = 0
                }
                queued.sequence = issued
                issued += 1
                working += 1
                return queued
            }
            // Every other entry is out: the second passes, first held first.
            if walkDone, !held.isEmpty, !buckets.indices.contains(where: { heads[$0] < buckets[$0].count }) {
                var queued = held.removeFirst()
                queued.sequence = issued
                issued += 1
                continuing[queued.sequence] = queued.firstPass
                return queued
            }
            if walkDone && working == 0 { return nil }
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
        return nil
    }

    /// A first-pass entry is finished (its records delivered, or held).
    func finished() {
        condition.lock()
        working -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Holds back `item`, the first pass of `entry` that hashed part of it only, for a second
    /// pass after every other entry; its own sequence is then skipped (nothing is written there).
    func hold(_ entry: QueuedEntry, item: ProcessedItem) {
        condition.lock()
        var again = entry
        again.firstPass = item
        held.append(again)
        working -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// True when the second pass of `sequence` may deliver its records: false once
    /// ``drainHeld()`` has delivered the first pass's instead (the scan stopped meanwhile).
    func release(_ sequence: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return continuing.removeValue(forKey: sequence) != nil
    }

    /// The first passes of held entries whose second pass never finished (the budget ran out),
    /// with the sequences they are written at; call once every worker has stopped or was left.
    func drainHeld() -> [(sequence: Int, item: ProcessedItem)] {
        condition.lock()
        defer { condition.unlock() }
        var drained = continuing.map { (sequence: $0.key, item: $0.value) }
        for entry in held {
            guard let item = entry.firstPass else { continue }
            drained.append((issued, item))
            issued += 1
        }
        continuing = [:]
        held = []
        return drained.sorted { $0.sequence < $1.sequence }
    }

    private func add(_ entry: QueuedEntry, _ priority: TriagePriority) {
        condition.lock()
        buckets[priority.rawValue].append(entry)
        condition.signal()
        condition.unlock()
    }

    private func finishWalk() {
        condition.lock()
        walkDone = true
        condition.broadcast()
        condition.unlock()
    }
}
