/// A manifest (or one of its lines) that cannot be read, exported or verified: which line and
/// why, in words that never quote the line.
public struct ManifestReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, so callers can word it their own way.
    public enum Kind: Sendable, Hashable {
        /// The line is not a JSON object.
        case notJSONObject
        /// The line is a header, item or summary whose fields do not fit the schema.
        case invalidRecord
        /// The line's `record` is none of `scan`, `item`, `summary`.
        case unknownRecord
        /// The manifest as a whole (missing, unreadable, lines out of order).
        case manifest
    }

    /// What went wrong.
    public var kind: Kind
    /// A sentence without content.
    public var description: String

    /// An error about the manifest as a whole.
    public init(_ description: String) {
        self.init(.manifest, description)
    }

    /// An error of a given kind.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
