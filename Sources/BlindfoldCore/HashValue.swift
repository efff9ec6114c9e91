/// One value a plugin produced for an item.
public enum HashValue: Hashable, Sendable {
    /// A digest as lower-case hex.
    case hex(String)
    /// A number (a quality score, say).
    case integer(Int)
    /// Several digests as lower-case hex, in an order the plugin documents (PDQ's eight
    /// dihedral hashes, say).
    case hexList([String])
}

/// A named value a plugin produced (`md5` → hex, `pdq_quality` → 87).
public struct HashOutput: Hashable, Sendable {
    /// The key under `hashes` in the manifest.
    public var key: String
    /// The value.
    public var value: HashValue

    /// An output from its parts.
    public init(key: String, value: HashValue) {
        self.key = key
        self.value = value
    }
}
