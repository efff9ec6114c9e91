/// One value a plugin produced for an item.
public enum HashValue: Hashable, Sendable {
    /// A digest as lower-case hex.
    case hex(String)
    /// A number (a quality score, say).
    case integer(Int)
    /// Several digests as lower-case hex, in an order the plugin documents (PDQ's eight
    /// dihedral hashes, say).
    case hexList([String])
    /// A short name from a fixed vocabulary of a library, never text from inside the item
    /// (a video's codec, `h264`), or a plugin's structured text that the scanner moves out of the
    /// record before it is written (vPDQ's frame lines, to their own file).
    case text(String)
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
