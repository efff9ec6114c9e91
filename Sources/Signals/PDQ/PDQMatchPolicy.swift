import BlindfoldCore

/// The PDQ matching thresholds (ThreatExchange's published starting points by default).
public struct PDQMatchPolicy: Sendable, Hashable {
    /// The largest Hamming distance that still counts as a match.
    public var maxDistance: Int
    /// Items whose PDQ quality is below this are hashed but never matched.
    public var qualityFloor: Int
    /// Also match the seven rotated and mirrored variants of each item's hash.
    public var dihedral: Bool

    /// The defaults: distance 31, quality 50, no dihedral variants.
    public static let standard = PDQMatchPolicy(maxDistance: 31, qualityFloor: 50, dihedral: false)

    /// A policy from its parts.
    public init(maxDistance: Int, qualityFloor: Int, dihedral: Bool) {
        self.maxDistance = maxDistance
        self.qualityFloor = qualityFloor
        self.dihedral = dihedral
    }
}

extension PDQMatchPolicy {
    /// The hashes an item's outputs offer for matching under this policy: its `pdq` hash, then
    /// (with ``dihedral``) its seven other `pdq_dihedral` variants. Nil when the item has no
    /// PDQ hash, or its quality is below the floor (an item without a quality is matched).
    public func queries(for hashes: [HashOutput]) -> [PDQHash]? {
        var hash: PDQHash?
        var variants: [PDQHash] = []
        for output in hashes {
            switch (output.key, output.value) {
            case (PDQSignal.Key.hash, .hex(let hex)): hash = PDQHash(hex: hex)
            case (PDQSignal.Key.quality, .integer(let quality)) where quality < qualityFloor: return nil
            case (PDQSignal.Key.dihedral, .hexList(let list)) where dihedral: variants = list.compactMap { PDQHash(hex: $0) }
            default: continue
            }
        }
        guard let hash else { return nil }
        return [hash] + variants
    }
}
