import Evidence
import Synchronization

/// Hands out walk entries to workers in walk order, each with its sequence number.
///
/// The walker itself is not thread-safe; the mutex makes each `next()` one step of one walk.
final class WorkQueue: Sendable {
    private let walker: Mutex<FileSystemWalker>
    private let issued = Atomic<Int>(0)

    /// A queue over `walker`, skipping its first `skip` entries (already recorded by an
    /// earlier run of the same scan).
    init(walker: sending FileSystemWalker, skip: Int = 0) {
        for _ in 0..<skip { _ = walker.next() }
        self.walker = Mutex(walker)
        issued.store(skip, ordering: .releasing)
    }

    /// The sequence number the next entry will get.
    var nextSequence: Int { issued.load(ordering: .acquiring) }

    /// The next entry and its sequence number, or nil when the walk is over.
    func nextEntry() -> (sequence: Int, entry: WalkEntry)? {
        walker.withLock { walker in
            guard let entry = walker.next() else { return nil }
            return (issued.add(1, ordering: .acquiringAndReleasing).oldValue, entry)
        }
    }
}

/// The first error a worker met while setting up, shared with the thread that waits for them.
final class FirstFailure<Failure: Error & Sendable>: Sendable {
    private let stored = Mutex<Failure?>(nil)

    init() {}

    func record(_ failure: Failure) { stored.withLock { if $0 == nil { $0 = failure } } }

    var value: Failure? { stored.withLock { $0 } }
}
