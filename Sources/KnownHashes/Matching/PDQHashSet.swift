import BlindfoldCore
import Signals

/// Near matching of items' PDQ hashes against a set's PDQ entries, under a ``PDQMatchPolicy``.
///
/// An item matches when its `pdq` hash (or, with `dihedral`, one of the eight `pdq_dihedral`
/// variants) is within `maxDistance` of an entry and its `pdq_quality` is not below the
/// quality floor (an item without a quality is matched; an entry whose list gave a quality
/// below the floor is left out of the set). One match per set: the nearest entry, its
/// category and the distance.
public struct PDQHashSet: KnownHashSet {
    public let info: HashSetInfo
    /// The thresholds.
    public let policy: PDQMatchPolicy
    let index: PDQIndex
    private let labels: [UInt16]
    private let categories: [String?]

    /// A set of `hashes` (with their categories) under `info` and `policy`.
    public init(info: HashSetInfo, hashes: [(hash: PDQHash, category: String?)], policy: PDQMatchPolicy = .standard) {
        var list = ParsedHashList(format: info.format)
        for entry in hashes { list.add(pdq: entry.hash, quality: nil, label: list.label(category: entry.category)) }
        self.init(info: info, records: list.pdq, categories: list.labels.map(\.category), policy: policy)
    }

    init(info: HashSetInfo, records: [PDQRecord], categories: [String?], policy: PDQMatchPolicy) {
        // An index's entries are sorted and unique already; a list's are sorted here.
        let sorted = zip(records, records.dropFirst()).allSatisfy { $0.hash < $1.hash } ? records : PDQRecords.sortedUnique(records)
        let kept = sorted.filter {
            $0.quality == PDQRecord.unknownQuality || Int($0.quality) >= policy.qualityFloor
        }
        self.info = info
        self.policy = policy
        index = PDQIndex(hashes: kept.map(\.hash))
        labels = kept.map(\.label)
        self.categories = categories
    }

    /// PDQ entries that can match.
    public var count: Int { index.hashes.count }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        guard let best = nearest(for: hashes, linear: false) else { return frameMatches(for: hashes) }
        return [Match(set: info.name, role: info.role, algorithm: PDQSignal.Key.hash, category: category(of: best.entry), distance: best.distance)]
    }

    /// The category of entry number `entry`.
    func category(of entry: Int) -> String? {
        let label = Int(labels[entry])
        return label < categories.count ? categories[label] : nil
    }

    /// The nearest entry for an item's outputs, by the index or (`linear`) by a linear scan.
    func nearest(for hashes: [HashOutput], linear: Bool) -> (distance: Int, entry: Int)? {
        guard let queries = policy.queries(for: hashes) else { return nil }
        var best: (distance: Int, entry: Int)?
        for query in queries {
            let found = linear
                ? index.nearestLinear(to: query, within: policy.maxDistance)
                : index.nearest(to: query, within: policy.maxDistance)
            if let found, best.map({ (found.distance, found.entry) < ($0.distance, $0.entry) }) ?? true { best = found }
        }
        return best
    }

    /// What ``matches(for:)`` would find by a linear scan of every entry: the oracle the index
    /// is tested and benchmarked against.
    public func linearMatchDistance(for hashes: [HashOutput]) -> Int? {
        nearest(for: hashes, linear: true)?.distance
    }
}
