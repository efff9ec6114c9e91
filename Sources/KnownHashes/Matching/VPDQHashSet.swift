import BlindfoldCore
import Signals

/// Matching of whole videos against a vPDQ set, as python-threatexchange's vPDQ index does:
/// every listed video's frames (above the quality floor, each hash once) go into one PDQ
/// multi-index; each frame of the scanned video finds every listed frame within the distance,
/// and a listed video matches when the share of the scanned video's frames that reached it,
/// and the share of its own frames that were reached, pass ``VPDQComparison``'s thresholds.
/// One match per listed video that passes, with both percentages; the listed video's file name
/// is the match's `video`.
public struct VPDQHashSet: KnownHashSet {
    public let info: HashSetInfo
    /// The thresholds.
    public let policy: VPDQComparison
    private let names: [String]
    /// Unique frames of each listed video.
    private let frameCounts: [Int]
    private let index: PDQIndex
    /// Per index entry (a distinct hash): the listed videos holding it, as a range of `owners`.
    private let ownerStarts: [Int]
    private let owners: [Int32]

    /// A set of `videos` under `info` and `policy`.
    public init(info: HashSetInfo, videos: [VPDQListFormat.Video], policy: VPDQComparison = .standard) {
        var pairs: [(hash: PDQHash, video: Int32)] = []
        var counts: [Int] = []
        for (number, video) in videos.enumerated() {
            let frames = policy.prepared(video.features)
            counts.append(frames.count)
            pairs.append(contentsOf: frames.map { ($0, Int32(number)) })
        }
        pairs.sort { $0.hash == $1.hash ? $0.video < $1.video : $0.hash < $1.hash }
        var hashes: [PDQHash] = []
        for pair in pairs where hashes.last != pair.hash { hashes.append(pair.hash) }
        // Runs of equal hashes: entry i owns owners[ownerStarts[i]..<ownerStarts[i+1]].
        var runStarts: [Int] = []
        for (position, pair) in pairs.enumerated() where position == 0 || pairs[position - 1].hash != pair.hash {
            runStarts.append(position)
        }
        runStarts.append(pairs.count)
        self.info = info
        self.policy = policy
        names = videos.map(\.name)
        frameCounts = counts
        index = PDQIndex(hashes: hashes)
        ownerStarts = runStarts
        owners = pairs.map(\.video)
    }

    /// Listed videos.
    public var videoCount: Int { names.count }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        guard case .text(let text)? = hashes.first(where: { $0.key == VPDQSignal.Key.features })?.value,
              let features = try? VPDQText.parse(Substring(text))
        else { return [] }
        return shares(for: features).compactMap { video, share in
            guard policy.isMatch(share) else { return nil }
            return Match(set: info.name, role: info.role, algorithm: VPDQSignal.Key.features, category: names[video],
                         queryPercent: share.queryPercent, comparedPercent: share.comparedPercent)
        }
    }

    /// Both percentages for every listed video some frame of the query reached, by video number.
    public func shares(for features: [VPDQFeature]) -> [(video: Int, share: VPDQMatchShare)] {
        let query = policy.prepared(features)
        guard !query.isEmpty else { return [] }
        var queryMatched: [Int: Set<Int>] = [:]
        var listedMatched: [Int: Set<Int>] = [:]
        for (frame, hash) in query.enumerated() {
            for entry in index.all(within: policy.maxDistance, of: hash) {
                for slot in ownerStarts[entry]..<ownerStarts[entry + 1] {
                    let video = Int(owners[slot])
                    queryMatched[video, default: []].insert(frame)
                    listedMatched[video, default: []].insert(entry)
                }
            }
        }
        return queryMatched.keys.sorted().compactMap { video in
            guard frameCounts[video] > 0 else { return nil }
            return (video: video, share: VPDQMatchShare(
                queryPercent: Double(queryMatched[video]?.count ?? 0) * 100 / Double(query.count),
                comparedPercent: Double(listedMatched[video]?.count ?? 0) * 100 / Double(frameCounts[video])))
        }
    }
}
