import Synchronization

/// Set once when the user asks the scan to stop (SIGINT, SIGTERM); read by every worker.
public final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    /// A flag that is not raised.
    public init() {}

    /// Asks the scan to stop: no new items are started, items being read are recorded as interrupted.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// True once ``raise()`` was called.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }
}
