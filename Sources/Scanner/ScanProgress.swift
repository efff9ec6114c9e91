import Synchronization

/// Live counters a progress display polls while a scan runs.
public final class ScanProgress: Sendable {
    private let found = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let bytes = Atomic<Int64>(0)

    /// Zeroed counters.
    public init() {}

    /// Objects the walk has handed out so far (an archive counts once here).
    public var itemsFound: Int { found.load(ordering: .relaxed) }
    /// Records written so far (archive members included).
    public var itemsDone: Int { done.load(ordering: .relaxed) }
    /// Bytes read so far.
    public var bytesDone: Int64 { bytes.load(ordering: .relaxed) }

    func itemFound() { found.add(1, ordering: .relaxed) }
    func itemDone() { done.add(1, ordering: .relaxed) }
    func read(_ count: Int) { bytes.add(Int64(count), ordering: .relaxed) }
}
