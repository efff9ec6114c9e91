/// The digests one set file lists, grouped by algorithm, with each entry's category (if the
/// format has categories), as a parser produced them.
struct ParsedHashList {
    /// The format name for the manifest header.
    var format: String
    /// Entries read.
    var entries = 0
    /// Digest → index into `categories` (0: no category), per algorithm.
    var digests: [DigestAlgorithm: [DigestKey: UInt16]] = [:]
    /// Category names; index 0 is "none".
    var categories: [String?] = [nil]
    private var categoryIndex: [String: UInt16] = [:]

    init(format: String) { self.format = format }

    mutating func add(_ key: DigestKey, _ algorithm: DigestAlgorithm, category: String? = nil) {
        var index: UInt16 = 0
        if let category {
            if let known = categoryIndex[category] {
                index = known
            } else {
                index = UInt16(truncatingIfNeeded: categories.count)
                categories.append(category)
                categoryIndex[category] = index
            }
        }
        digests[algorithm, default: [:]][key] = index
    }
}
