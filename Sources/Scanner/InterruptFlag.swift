import Synchronization

/// Set once when the scan must stop: the user asked (SIGINT, SIGTERM) or a triage's time
/// budget ran out. Read by every worker between chunks.
public final class InterruptFlag: Sendable {
    /// Why the scan stops.
    public enum Cause: Int, Sendable {
        case signal = 1
        case budget = 2
    }

    private let raised = Atomic<Int>(0)

    /// A flag that is not raised.
    public init() {}

    /// Asks the scan to stop: no new items are started, items being read are recorded as
    /// stopped. The first cause wins.
    public func raise(_ cause: Cause = .signal) {
        _ = raised.compareExchange(expected: 0, desired: cause.rawValue, ordering: .acquiringAndReleasing)
    }

    /// True once ``raise(_:)`` was called.
    public var isRaised: Bool { raised.load(ordering: .acquiring) != 0 }

    /// The cause, once raised.
    public var cause: Cause? { Cause(rawValue: raised.load(ordering: .acquiring)) }

    /// The reason recorded on a container whose members were being listed when the scan stopped.
    public var listingReason: String {
        cause == .budget
            ? "the time budget ran out while its members were listed"
            : "scan interrupted while its members were listed"
    }

    /// The reason recorded on an item that was being read when the scan stopped.
    public var itemReason: String {
        cause == .budget
            ? "the time budget ran out before the item was read to the end"
            : "scan interrupted before the item was read to the end"
    }
}
