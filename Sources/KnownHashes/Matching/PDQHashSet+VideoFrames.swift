import BlindfoldCore
import Signals

extension PDQHashSet {
    /// A video's frames against the set's image hashes (a still taken from a known video): the
    /// nearest entry any frame at or above the quality floor reaches, with that frame's time.
    /// One match per set, as for an image; the earliest frame wins a tie.
    func frameMatches(for hashes: [HashOutput]) -> [Match] {
        guard case .text(let text)? = hashes.first(where: { $0.key == VPDQSignal.Key.features })?.value,
              let features = try? VPDQText.parse(Substring(text))
        else { return [] }
        var best: (distance: Int, entry: Int, timestamp: Double)?
        for feature in features where feature.quality >= policy.qualityFloor {
            guard let found = index.nearest(to: feature.hash, within: policy.maxDistance) else { continue }
            if best.map({ found.distance < $0.distance }) ?? true { best = (found.distance, found.entry, feature.timestamp) }
        }
        guard let best else { return [] }
        return [Match(set: info.name, role: info.role, algorithm: PDQSignal.Key.hash, category: category(of: best.entry),
                      distance: best.distance, timestamp: best.timestamp)]
    }
}
