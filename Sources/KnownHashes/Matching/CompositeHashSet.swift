import BlindfoldCore

/// One set file that holds several kinds of entries (exact digests and PDQ hashes): its parts
/// answer in turn, under the file's one name and role.
public struct CompositeHashSet: KnownHashSet {
    public let info: HashSetInfo
    /// The parts, exact first.
    public let parts: [any KnownHashSet]

    /// A set answering with `parts` under `info`.
    public init(info: HashSetInfo, parts: [any KnownHashSet]) {
        self.info = info
        self.parts = parts
    }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        parts.flatMap { $0.matches(for: hashes) }
    }
}
