import BlindfoldCore
import Evidence

/// How many bytes an archive may produce: at most `expansionRatio` times its own size (once it
/// produced more than `expansionRatioFloor`) and at most `expansionBytes` in all, measured on
/// bytes actually produced (declared sizes lie in bombs) and on its members' names. A nested
/// archive's members are charged to every enclosing archive too, so a 42.zip-style bomb stops
/// at the outermost archive's allowance, in bounded time. A sparse member's holes (zeros the
/// archive declares, not data a decompressor made) count against `expansionBytes` only.
final class ExpansionBudget {
    private let limits: ScanLimits
    private let parent: ExpansionBudget?
    private let containerSize: () -> Int64
    private let declaredSize: Int64?
    private(set) var produced: Int64 = 0
    /// `produced` less sparse holes: what the ratio measures.
    private(set) var decompressed: Int64 = 0
    /// Set once the budget is exceeded: the limit's name and a reason.
    private(set) var exceeded: ItemReadError?

    /// A budget for a container whose size so far `containerSize` reports (bytes read of it).
    init(limits: ScanLimits, containerSize: @escaping () -> Int64, declaredSize: Int64?, parent: ExpansionBudget?) {
        self.limits = limits
        self.containerSize = containerSize
        self.declaredSize = declaredSize
        self.parent = parent
    }

    /// Counts `bytes` produced, `holes` of them a sparse member's holes; throws a `limit` error
    /// when this or an enclosing budget is exceeded.
    func charge(_ bytes: Int64, holes: Int64 = 0) throws(ItemReadError) {
        if let exceeded { throw exceeded }
        produced += bytes
        decompressed += bytes - holes
        // Only bytes actually read count as the container's size: a declared size is the
        // archive's word, and a huge one must neither switch the ratio off nor overflow.
        let size = max(containerSize(), 1)
        let (allowance, overflow) = Int64(limits.expansionRatio).multipliedReportingOverflow(by: size)
        if produced > limits.expansionBytes {
            exceeded = ItemReadError(
                status: .limit,
                reason: "expansion_bytes: the archive produced more than \(limits.expansionBytes) bytes")
        } else if decompressed > limits.expansionRatioFloor, !overflow, decompressed > allowance {
            exceeded = ItemReadError(
                status: .limit,
                reason: "expansion_ratio: the archive produced more than \(limits.expansionRatio)x its \(size) bytes")
        }
        if let exceeded { throw exceeded }
        try parent?.charge(bytes, holes: holes)
    }

    /// The first exceeded budget from this one outwards, if any.
    var exhausted: ItemReadError? { exceeded ?? parent?.exhausted }
}
