import Evidence

/// A walk entry handed to a worker, with its place in the manifest.
struct QueuedEntry: Sendable {
    var sequence: Int
    var entry: WalkEntry
    /// Set in triage order: whether the entry counts as media for the coverage figures.
    var isMedia: Bool
    /// A triage's second pass over an entry whose first pass hashed part of it only: the
    /// records of that first pass, written if the second pass cannot finish.
    var firstPass: ProcessedItem? = nil
}

/// Where workers take their next entry from: the walk in its own order, or a triage order.
protocol EntrySource: Sendable {
    /// The sequence number the next entry will get.
    var nextSequence: Int { get }
    /// The next entry, or nil when there is none (or the scan is stopping).
    func next() -> QueuedEntry?
}

extension WorkQueue: EntrySource {
    func next() -> QueuedEntry? {
        guard let (sequence, entry) = nextEntry() else { return nil }
        return QueuedEntry(sequence: sequence, entry: entry, isMedia: false)
    }
}
