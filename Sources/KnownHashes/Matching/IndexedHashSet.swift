import BlindfoldCore

/// Exact matching against a mapped `.bfhs` index: each lookup binary-searches one bucket of
/// the sorted digests (or the sorted keyed entries) in place, so resident memory follows the
/// pages lookups touch.
public struct IndexedHashSet: KnownHashSet {
    public let info: HashSetInfo
    /// The mapped, checked index.
    public let index: IndexFile

    /// Matches against `index`, under `info`.
    public init(info: HashSetInfo, index: IndexFile) {
        self.info = info
        self.index = index
    }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        var found: [Match] = []
        var keyed: [Match] = []
        let labels = index.metadata.labels
        func category(_ label: UInt16) -> String? { Int(label) < labels.count ? labels[Int(label)].category : nil }
        for output in hashes {
            guard case .hex(var hex) = output.value else { continue }
            if let algorithm = DigestAlgorithm(rawValue: output.key), let table = index.table(for: algorithm) {
                guard let label = hex.withUTF8({ index.label(ofHex: $0, in: table) }) else { continue }
                found.append(Match(set: info.name, role: info.role, algorithm: algorithm.rawValue, category: category(label)))
            } else if index.keyed != nil, let label = index.label(key: output.key, value: hex) {
                // A keyed list's entries, in the order the item's values come, as KeyedHashSet gives them.
                keyed.append(Match(set: info.name, role: info.role, algorithm: output.key, category: category(label)))
            }
        }
        // Plugins report md5, sha1, sha256 in that order; keep the raw set's order whatever they do.
        if found.count > 1 {
            found.sort { (DigestAlgorithm(rawValue: $0.algorithm)?.tableIndex ?? 0) < (DigestAlgorithm(rawValue: $1.algorithm)?.tableIndex ?? 0) }
        }
        return found + keyed
    }
}
