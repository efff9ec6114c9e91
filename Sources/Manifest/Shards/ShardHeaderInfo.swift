/// The parts of a header's `shard` object that identify a shard: which one, of how many, of
/// which listing.
public struct ShardHeaderInfo: Sendable, Hashable {
    /// The shard's index, from 0.
    public var index: Int
    /// The number of shards.
    public var count: Int
    /// The SHA-256 of the listing the shard split.
    public var listingSHA256: String

    /// Reads a `shard` object; nil when it is absent or lacks one of these fields.
    public init?(_ value: JSONValue?) {
        guard case .object(let members)? = value else { return nil }
        func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
        guard case .int(let index)? = member("index"), case .int(let count)? = member("count"),
            case .string(let listing)? = member("listing_sha256")
        else { return nil }
        self.index = Int(index)
        self.count = Int(count)
        self.listingSHA256 = listing
    }
}
