/// The role of a known-hash set.
public enum HashSetRole: String, Sendable, CaseIterable, Codable {
    /// Material known to be benign (NSRL, vendor sets): counted, never reported as a hit.
    case knownGood = "known-good"
    /// Material known to be illegal or of interest: any match is a hit.
    case knownBad = "known-bad"
}

/// One item matched one entry of a known-hash set.
public struct Match: Hashable, Sendable {
    /// The set's name.
    public var set: String
    /// The set's role.
    public var role: HashSetRole
    /// The algorithm whose value matched (`md5`, `sha1`, `sha256`, `pdq`).
    public var algorithm: String
    /// The set's category for the entry, when the set has one.
    public var category: String?
    /// The Hamming distance, for perceptual hashes only.
    public var distance: Int?
    /// For a video matched against a listed video (vPDQ): the share of the item's frames that
    /// match the listed video, and of the listed video's frames that match the item (percent).
    public var queryPercent: Double?
    public var comparedPercent: Double?
    /// For a video frame that matched an image hash: the frame's time in seconds.
    public var timestamp: Double?
    /// False for a known-bad match in a category that does not alert (a VICS category outside
    /// `--vics-alert`): recorded with its category, not counted as a hit (exit code, verdict,
    /// summary's `known-bad`).
    public var alerts = true

    /// A match from its parts.
    public init(set: String, role: HashSetRole, algorithm: String, category: String? = nil, distance: Int? = nil,
                queryPercent: Double? = nil, comparedPercent: Double? = nil, timestamp: Double? = nil) {
        self.set = set
        self.role = role
        self.algorithm = algorithm
        self.category = category
        self.distance = distance
        self.queryPercent = queryPercent
        self.comparedPercent = comparedPercent
        self.timestamp = timestamp
    }
}
