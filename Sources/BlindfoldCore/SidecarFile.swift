/// A file the scan wrote under its output folder for one item (vPDQ's frame lines), referenced
/// from the item's record by path and digest, so the manifest's own digest chains to it.
/// Written in the record as `"<key>": {"file": ..., "sha256": ..., "<countKey>": N}`.
public struct SidecarFile: Sendable, Hashable {
    /// The record member that refers to it (`vpdq`).
    public var key: String
    /// Its path relative to the output folder.
    public var file: String
    /// SHA-256 of its bytes (lower-case hex).
    public var sha256: String
    /// How many entries (frames) it holds.
    public var count: Int
    /// The member naming the count (`frames`).
    public var countKey: String
    /// False when the file holds part of what the plugin would compute (a triage's first pass
    /// hashed a video's first seconds only); written `"complete": false`, omitted when true.
    public var complete: Bool

    /// A reference from its parts.
    public init(key: String, file: String, sha256: String, count: Int, countKey: String, complete: Bool = true) {
        self.complete = complete
        self.key = key
        self.file = file
        self.sha256 = sha256
        self.count = count
        self.countKey = countKey
    }
}
