/// The digests one set file lists, grouped by algorithm, as a parser produced them.
struct ParsedHashList {
    /// The format name for the manifest header.
    var format: String
    /// Entries read.
    var entries = 0
    /// Distinct digests per algorithm.
    var digests: [DigestAlgorithm: Set<DigestKey>] = [:]

    mutating func add(_ key: DigestKey, _ algorithm: DigestAlgorithm) {
        digests[algorithm, default: []].insert(key)
    }
}
