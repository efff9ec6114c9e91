import BlindfoldCore

/// An in-memory set of exact digests (MD5, SHA-1, SHA-256), built from a parsed list, with each
/// entry's category when the format has them (VICS).
public struct ExactHashSet: KnownHashSet {
    public let info: HashSetInfo
    private let digests: [DigestAlgorithm: [DigestKey: UInt16]]
    private let categories: [String?]

    /// A set with `info` holding `digests` (all uncategorised); empty-input digests are dropped.
    public init(info: HashSetInfo, digests: [DigestAlgorithm: Set<DigestKey>]) {
        self.init(info: info, categorised: digests.mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0, UInt16(0)) }) },
                  categories: [nil])
    }

    /// A set holding the exact digests of `list`, each with its label's category.
    init(info: HashSetInfo, list: ParsedHashList) {
        var digests: [DigestAlgorithm: [DigestKey: UInt16]] = [:]
        for table in list.tables where table.count > 0 {
            var keyed: [DigestKey: UInt16] = [:]
            keyed.reserveCapacity(table.count)
            for index in 0..<table.count {
                let start = index * table.width
                if let key = DigestKey(table.digests[start..<(start + table.width)]), keyed[key] == nil {
                    keyed[key] = table.label(at: index)
                }
            }
            digests[table.algorithm] = keyed
        }
        self.init(info: info, categorised: digests, categories: list.labels.map(\.category))
    }

    init(info: HashSetInfo, categorised digests: [DigestAlgorithm: [DigestKey: UInt16]], categories: [String?]) {
        var cleaned = digests
        for algorithm in DigestAlgorithm.allCases {
            if let empty = DigestKey(hex: algorithm.emptyInputDigest) { cleaned[algorithm]?.removeValue(forKey: empty) }
        }
        self.info = info
        self.digests = cleaned.filter { !$0.value.isEmpty }
        self.categories = categories
    }

    /// Distinct matchable digests per algorithm.
    public var counts: [DigestAlgorithm: Int] { digests.mapValues(\.count) }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        var found: [Match] = []
        for algorithm in DigestAlgorithm.allCases {
            guard let listed = digests[algorithm],
                let value = hashes.first(where: { $0.key == algorithm.rawValue })?.value,
                case .hex(let hex) = value, let key = DigestKey(hex: hex), let category = listed[key]
            else { continue }
            let name = Int(category) < categories.count ? categories[Int(category)] : nil
            found.append(Match(set: info.name, role: info.role, algorithm: algorithm.rawValue, category: name))
        }
        return found
    }
}
