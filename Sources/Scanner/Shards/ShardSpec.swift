/// Which part of a sharded scan this run does: shard `index` of `count` (`--shard I/N`, with
/// `I` from 0, as Slurm's `SLURM_ARRAY_TASK_ID` and Kubernetes' `JOB_COMPLETION_INDEX` count).
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
    /// This shard, from 0.
    public let index: Int
    /// How many shards the scan is split into.
    public let count: Int

    /// The most shards one scan may be split into.
    public static let maximumCount = 65_536

    /// A shard from its parts; throws when `index` is not in `0..<count`.
    public init(index: Int, count: Int) throws(ShardSpecError) {
        guard count >= 1, count <= Self.maximumCount else {
            throw ShardSpecError("the shard count must be from 1 to \(Self.maximumCount), not \(count)")
        }
        guard index >= 0, index < count else {
            throw ShardSpecError("shard \(index) is not one of 0 to \(count - 1)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public init(parsing text: String) throws(ShardSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardSpecError("'\(text)' is not I/N (for example 0/4; I counts from 0)")
        }
        try self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }
}

/// A `--shard` value that is not `I/N` with `0 <= I < N`.
public struct ShardSpecError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
