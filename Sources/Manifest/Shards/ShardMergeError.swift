/// Why shards cannot be merged: one line saying which shard and what to do.
public struct ShardMergeError: Error, Sendable, CustomStringConvertible {
    public let description: String

    /// An error with its one-line message.
    public init(_ description: String) { self.description = description }
}
