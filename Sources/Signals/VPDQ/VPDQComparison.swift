/// How two videos' frame hashes are compared, as python-threatexchange's vPDQ matcher does
/// (`vpdq_brute_matcher.py`, `vpdq_util.py`): each side's frames are deduplicated by hash and
/// those below the quality floor dropped; a frame matches when some frame of the other side is
/// within the distance (inclusive); the query-match percentage is the share of the query's
/// frames that match, the compared-match percentage the share of the listed video's frames.
public struct VPDQComparison: Sendable, Hashable {
    /// Frames farther apart than this do not match (the reference's 31).
    public var maxDistance: Int
    /// Frames below this quality are not compared (the reference's 50).
    public var qualityFloor: Int
    /// A video matches when at least this share (percent) of its frames match (default 80).
    public var queryMatchPercent: Double
    /// ... and at least this share of the listed video's frames match (default 0).
    public var comparedMatchPercent: Double

    /// The reference's settings.
    public static let standard = VPDQComparison(maxDistance: 31, qualityFloor: 50, queryMatchPercent: 80, comparedMatchPercent: 0)

    /// Settings from their parts.
    public init(maxDistance: Int, qualityFloor: Int, queryMatchPercent: Double, comparedMatchPercent: Double) {
        self.maxDistance = maxDistance
        self.qualityFloor = qualityFloor
        self.queryMatchPercent = queryMatchPercent
        self.comparedMatchPercent = comparedMatchPercent
    }

    /// The frames that take part: unique hashes (first occurrence kept), quality at the floor or above.
    public func prepared(_ features: [VPDQFeature]) -> [PDQHash] {
        var seen = Set<PDQHash>()
        var kept: [PDQHash] = []
        for feature in features where feature.quality >= qualityFloor && seen.insert(feature.hash).inserted {
            kept.append(feature.hash)
        }
        return kept
    }

    /// Both percentages for a query video against a listed one (brute force; the index in
    /// KnownHashes gives the same numbers for many listed videos at once). nil when either side
    /// has no frame left after the quality floor.
    public func percentages(query: [VPDQFeature], compared: [VPDQFeature]) -> VPDQMatchShare? {
        let left = prepared(query), right = prepared(compared)
        guard !left.isEmpty, !right.isEmpty else { return nil }
        let leftMatched = left.count { frame in right.contains { frame.distance(to: $0) <= maxDistance } }
        let rightMatched = right.count { frame in left.contains { frame.distance(to: $0) <= maxDistance } }
        return VPDQMatchShare(
            queryPercent: Double(leftMatched) * 100 / Double(left.count),
            comparedPercent: Double(rightMatched) * 100 / Double(right.count))
    }

    /// True when `share` reaches both thresholds.
    public func isMatch(_ share: VPDQMatchShare) -> Bool {
        share.queryPercent >= queryMatchPercent && share.comparedPercent >= comparedMatchPercent
    }
}

/// The two percentages of one video-to-video comparison.
public struct VPDQMatchShare: Sendable, Hashable {
    /// Share of the query video's frames that match the listed video (percent).
    public var queryPercent: Double
    /// Share of the listed video's frames that match the query video (percent).
    public var comparedPercent: Double

    /// A share from its parts.
    public init(queryPercent: Double, comparedPercent: Double) {
        self.queryPercent = queryPercent
        self.comparedPercent = comparedPercent
    }
}
