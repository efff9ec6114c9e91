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
        for table in index.tables {
            guard let output = hashes.first(where: { $0.key == table.algorithm.rawValue }),
                case .hex(let hex) = output.value, let digest = Hex.decode(hex),
                let label = index.label(of: digest, algorithm: table.algorithm)
            else { continue }
            let labels = index.metadata.labels
            let category = Int(label) < labels.count ? labels[Int(label)].category : nil
            found.append(Match(set: info.name, role: info.role, algorithm: table.algorithm.rawValue, category: category))
        }
        // The writer stores the tables in algorithm order, so matches come in the raw set's order.
        return found
    }
}
