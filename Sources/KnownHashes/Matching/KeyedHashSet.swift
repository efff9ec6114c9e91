import BlindfoldCore

/// Exact values of any output key (an external plugin's `tlsh`, `ssdeep`, `photodna`, ...),
/// from a keyed list. An item matches when its value under a key equals a listed value for that
/// key; hex values compare without regard to case.
public struct KeyedHashSet: KnownHashSet {
    public let info: HashSetInfo
    /// Key → normalised value → label index.
    private let values: [String: [String: Int]]
    private let labels: [String?]

    init(info: HashSetInfo, entries: [KeyedEntry]) {
        var values: [String: [String: Int]] = [:]
        var labels: [String?] = [nil]
        var labelIndex: [String: Int] = [:]
        for entry in entries {
            var index = 0
            if let label = entry.label {
                if let known = labelIndex[label] {
                    index = known
                } else {
                    index = labels.count
                    labels.append(label)
                    labelIndex[label] = index
                }
            }
            // A value listed twice keeps the label of its first labelled line (as an index does).
            let value = Self.normalised(entry.value)
            if (values[entry.key, default: [:]][value] ?? 0) == 0 { values[entry.key, default: [:]][value] = index }
        }
        self.info = info
        self.values = values
        self.labels = labels
    }

    /// Distinct values per key.
    public var counts: [String: Int] { values.mapValues(\.count) }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        hashes.compactMap { output in
            guard let listed = values[output.key], case .hex(let text) = output.value,
                let label = listed[Self.normalised(text)] else { return nil }
            return Match(set: info.name, role: info.role, algorithm: output.key, category: labels[label])
        }
    }

    /// Hex in lower case; anything else as written.
    static func normalised(_ value: String) -> String {
        Hex.isHex(value.utf8) ? value.lowercased() : value
    }
}
