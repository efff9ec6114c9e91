import BlindfoldCore

/// An in-memory set of exact digests (MD5, SHA-1, SHA-256), built from a parsed list.
public struct ExactHashSet: KnownHashSet {
    public let info: HashSetInfo
    private let digests: [DigestAlgorithm: Set<DigestKey>]

    /// A set with `info` holding `digests`; empty-input digests are dropped so they never match.
    public init(info: HashSetInfo, digests: [DigestAlgorithm: Set<DigestKey>]) {
        var cleaned = digests
        for algorithm in DigestAlgorithm.allCases {
            if let empty = DigestKey(hex: algorithm.emptyInputDigest) { cleaned[algorithm]?.remove(empty) }
        }
        self.info = info
        self.digests = cleaned.filter { !$0.value.isEmpty }
    }

    /// Distinct matchable digests per algorithm.
    public var counts: [DigestAlgorithm: Int] { digests.mapValues(\.count) }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        var found: [Match] = []
        for algorithm in DigestAlgorithm.allCases {
            guard let listed = digests[algorithm],
                let value = hashes.first(where: { $0.key == algorithm.rawValue })?.value,
                case .hex(let hex) = value, let key = DigestKey(hex: hex), listed.contains(key)
            else { continue }
            found.append(Match(set: info.name, role: info.role, algorithm: algorithm.rawValue))
        }
        return found
    }
}
