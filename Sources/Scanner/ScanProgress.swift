import Synchronization

/// Live counters a progress display polls while a scan runs.
public final class ScanProgress: Sendable {
    private let found = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let bytes = Atomic<Int64>(0)
    private let total = Atomic<Int64>(-1)

    /// Zeroed counters.
    public init() {}

    /// Objects the walk has handed out so far (an archive counts once here).
    public var itemsFound: Int { found.load(ordering: .relaxed) }
    /// Records written so far (archive members included).
    public var itemsDone: Int { done.load(ordering: .relaxed) }
    /// Bytes read so far.
    public var bytesDone: Int64 { bytes.load(ordering: .relaxed) }

    /// Bytes of all regular files to read, once the walk is over (triage walks ahead); nil before.
    public var totalBytes: Int64? {
        let value = total.load(ordering: .relaxed)
        return value >= 0 ? value : nil
    }

    func setTotal(bytes value: Int64) { total.store(value, ordering: .relaxed) }

    func itemFound() { found.add(1, ordering: .relaxed) }
    func itemDone() { done.add(1, ordering: .relaxed) }
    func read(_ count: Int) { bytes.add(Int64(count), ordering: .relaxed) }
}
