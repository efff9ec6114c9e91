import BlindfoldCore

/// What the manifest header says about a loaded set.
public struct HashSetInfo: Sendable, Hashable {
    /// The set's name, as matches cite it.
    public var name: String
    /// Known-good or known-bad.
    public var role: HashSetRole
    /// The detected format (`sha256sum`, `hashdeep`, ...).
    public var format: String
    /// Entries read (including ones that can never match, such as the empty-file digest).
    public var entries: Int
    /// SHA-256 of the set file as read.
    public var sha256: String
    /// The file it was read from.
    public var path: String
}

/// A set of known hashes an item can be matched against.
///
/// Sets are immutable once loaded and shared by every worker. New formats and index types
/// (memory-mapped indexes, perceptual near matching) conform to this protocol.
public protocol KnownHashSet: Sendable {
    /// Name, role, format, size and origin.
    var info: HashSetInfo { get }

    /// The matches of an item whose plugin values are `hashes`.
    func matches(for hashes: [HashOutput]) -> [Match]
}

/// Matches every item against every set and returns all matches in set order.
public struct HashMatcher: Sendable {
    /// The sets, known-bad and known-good, in the order the user gave them.
    public let sets: [any KnownHashSet]

    /// A matcher over `sets`.
    public init(sets: [any KnownHashSet]) { self.sets = sets }

    /// Every match of `hashes` in every set.
    public func matches(for hashes: [HashOutput]) -> [Match] {
        sets.flatMap { $0.matches(for: hashes) }
    }
}
