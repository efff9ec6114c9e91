import BlindfoldCore

/// Exact matching against a mapped `.bfhs` index: each lookup binary-searches one bucket of
/// the sorted digests in place, so resident memory follows the pages lookups touch.
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
        for output in hashes {
            guard let algorithm = DigestAlgorithm(rawValue: output.key), let table = index.table(for: algorithm),
                case .hex(var hex) = output.value, let label = hex.withUTF8({ index.label(ofHex: $0, in: table) })
            else { continue }
            let labels = index.metadata.labels
            let category = Int(label) < labels.count ? labels[Int(label)].category : nil
            found.append(Match(set: info.name, role: info.role, algorithm: algorithm.rawValue, category: category))
        }
        // Plugins report md5, sha1, sha256 in that order; keep the raw set's order whatever they do.
        if found.count > 1 {
            found.sort { (DigestAlgorithm(rawValue: $0.algorithm)?.tableIndex ?? 0) < (DigestAlgorithm(rawValue: $1.algorithm)?.tableIndex ?? 0) }
        }
        return found
    }
}
