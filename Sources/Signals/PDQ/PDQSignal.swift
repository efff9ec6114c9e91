import BlindfoldCore

/// PDQ as a signal: its keys (`pdq`, `pdq_quality`, `pdq_dihedral`), near matching under a
/// ``PDQMatchPolicy``, the quality-floor note, the header's `pdq_*` options and its CSV and
/// VICS fields. The one place those names are spelled.
public struct PDQSignal: Signal {
    /// The output keys.
    public enum Key {
        /// 64 hex digits, ThreatExchange's order.
        public static let hash = "pdq"
        /// The quality, 0 to 100.
        public static let quality = "pdq_quality"
        /// The eight dihedral hashes.
        public static let dihedral = "pdq_dihedral"
    }

    /// The matching thresholds of this run.
    public let policy: PDQMatchPolicy

    /// The signal under `policy`.
    public init(policy: PDQMatchPolicy = .standard) { self.policy = policy }

    public var id: String { Key.hash }

    public var outputs: [SignalOutput] {
        [SignalOutput(key: Key.hash, kind: .hex), SignalOutput(key: Key.quality, kind: .integer),
         SignalOutput(key: Key.dihedral, kind: .hexList)]
    }

    public var comparison: SignalComparison { .distance(maxDistance: policy.maxDistance) }

    /// PDQ lists, VICS (`AlternativeHashes`) and the `.bfhs` index's PDQ section.
    public var setFormats: [String] { ["pdq-list", "vics", "bfhs"] }

    /// An item below the quality floor keeps its hash and is told why it was not matched.
    public func notes(for hashes: [HashOutput]) -> [String] {
        guard case .integer(let quality)? = hashes.first(where: { $0.key == Key.quality })?.value,
            quality < policy.qualityFloor
        else { return [] }
        return ["pdq quality \(quality) is below the matching floor \(policy.qualityFloor): not matched"]
    }

    public var headerOptions: [(name: String, value: OptionValue)] {
        [("pdq_distance", .integer(policy.maxDistance)), ("pdq_quality", .integer(policy.qualityFloor)),
         ("pdq_dihedral", .bool(policy.dihedral))]
    }

    /// `pdq`, `pdq_quality`, and `pdq_distance` (the smallest distance of the item's PDQ matches).
    public var csvColumns: [SignalColumn] {
        let algorithm = id
        return [
            .output(Key.hash), .output(Key.quality),
            SignalColumn(name: "pdq_distance") { record in
                record.matches.compactMap { $0.algorithm == algorithm ? $0.distance : nil }.min().map(String.init) ?? ""
            },
        ]
    }

    public var vicsAlternativeHashes: [(key: String, hashName: String)] { [(Key.hash, "PDQ")] }
}
