import BlindfoldCore
import Signals

/// Near-neighbour search over PDQ hashes: the entry nearest to a query within a Hamming
/// distance, exactly as a linear scan finds it, but without scanning.
///
/// Multi-index hashing (Norouzi, Punjani and Fleet, 2012): the 256 bits are cut into `m`
/// chunks of about `log2(count)` bits (16 to 24: 16 chunks of 16 bits up to 65,536 entries,
/// 11 chunks of 23 and 24 bits at 10 million), and every chunk has a table from chunk value to
/// the entries having it. If an entry is within distance `d` of the query, then at least one of
/// its chunks is within `r = ⌊d/m⌋` bits of the query's chunk: were every chunk `r + 1` or more
/// apart, the distance would be at least `m(r + 1) > d`. So probing, in every table, each value
/// within `r` bits of the query's chunk finds every entry within `d`, and each candidate's full
/// distance decides. Chunks as wide as `log2(count)` leave about one entry per probed value, so
/// a query checks a few thousand candidates instead of every entry. Ties go to the entry first
/// in hash order, as in ``nearestLinear(to:within:)``, so both give the same answer. Sets under
/// ``linearLimit`` entries, and distances that would need more than ``maxRadius`` bits per
/// chunk, are scanned linearly.
struct PDQIndex: Sendable {
    /// Below this many entries a linear scan is as fast.
    static let linearLimit = 1024
    /// Probing radius beyond which the linear scan is cheaper.
    static let maxRadius = 3

    /// Where one chunk's bits are.
    struct Chunk: Sendable {
        /// First bit (0 to 255).
        var start: Int
        /// Width in bits (16 to 24).
        var width: Int
        /// Offset of this chunk's table in `starts`.
        var table: Int
    }

    /// The entries' hashes, in hash order.
    let hashes: [PDQHash]
    let chunks: [Chunk]
    /// Per chunk: start of each chunk value's run in `entries` (`2^width + 1` values a chunk).
    private let starts: [UInt32]
    /// Per chunk: entry numbers ordered by that chunk's value (`chunks.count * count`).
    private let entries: [UInt32]
    /// Per distinct chunk width, per radius 0...maxRadius: every value of that width with at
    /// most that many bits set.
    private let masks: [Int: [[UInt32]]]

    /// An index over `hashes` (already in hash order).
    init(hashes: [PDQHash]) {
        self.hashes = hashes
        let count = hashes.count
        guard count >= Self.linearLimit else {
            chunks = []
            starts = []
            entries = []
            masks = [:]
            return
        }
        let bits = min(24, max(16, Int.bitWidth - (count - 1).leadingZeroBitCount))
        let chunkCount = (256 + bits - 1) / bits
        var chunks: [Chunk] = []
        var start = 0, table = 0
        for index in 0..<chunkCount {
            // Widths differ by at most one bit: the first `256 % chunkCount` chunks get the extra bit.
            let width = 256 / chunkCount + (index < 256 % chunkCount ? 1 : 0)
            chunks.append(Chunk(start: start, width: width, table: table))
            start += width
            table += (1 << width) + 1
        }
        var starts = [UInt32](repeating: 0, count: table)
        var entries = [UInt32](repeating: 0, count: chunkCount * count)
        var values = [UInt32](repeating: 0, count: count)
        for (number, chunk) in chunks.enumerated() {
            let size = (1 << chunk.width) + 1
            for (entry, hash) in hashes.enumerated() {
                values[entry] = Self.value(of: chunk, in: hash)
                starts[chunk.table + Int(values[entry]) + 1] += 1
            }
            for value in 1..<size { starts[chunk.table + value] += starts[chunk.table + value - 1] }
            var next = Array(starts[chunk.table..<(chunk.table + size)])
            for entry in 0..<count {
                let value = Int(values[entry])
                entries[number * count + Int(next[value])] = UInt32(entry)
                next[value] += 1
            }
        }
        self.chunks = chunks
        self.starts = starts
        self.entries = entries
        var masks: [Int: [[UInt32]]] = [:]
        for width in Set(chunks.map(\.width)) { masks[width] = (0...Self.maxRadius).map { Self.masks(width: width, radius: $0) } }
        self.masks = masks
    }

    /// The bits of `chunk` in `hash`.
    @inline(__always)
    static func value(of chunk: Chunk, in hash: PDQHash) -> UInt32 {
        let word = chunk.start >> 6, offset = chunk.start & 63
        var value = Self.word(word, of: hash) >> UInt64(offset)
        if offset + chunk.width > 64 { value |= Self.word(word + 1, of: hash) << UInt64(64 - offset) }
        return UInt32(truncatingIfNeeded: value & ((1 << UInt64(chunk.width)) - 1))
    }

    @inline(__always)
    private static func word(_ index: Int, of hash: PDQHash) -> UInt64 {
        switch index {
        case 0: hash.words.0
        case 1: hash.words.1
        case 2: hash.words.2
        default: hash.words.3
        }
    }

    /// The nearest entry within `maxDistance` of `query`: its distance and number (the
    /// smallest number among equally near ones), or nil.
    func nearest(to query: PDQHash, within maxDistance: Int) -> (distance: Int, entry: Int)? {
        guard maxDistance >= 0 else { return nil }
        let radius = chunks.isEmpty ? Int.max : maxDistance / chunks.count
        guard radius <= Self.maxRadius else { return nearestLinear(to: query, within: maxDistance) }
        var best: (distance: Int, entry: Int)?
        var limit = maxDistance
        forEachCandidate(of: query, radius: radius) { entry, candidate in
            // Half the words first: a random candidate is already ~64 bits away.
            let half = (candidate.words.0 ^ query.words.0).nonzeroBitCount
                + (candidate.words.1 ^ query.words.1).nonzeroBitCount
            guard half <= limit else { return }
            let distance = half + (candidate.words.2 ^ query.words.2).nonzeroBitCount
                + (candidate.words.3 ^ query.words.3).nonzeroBitCount
            guard distance <= limit else { return }
            if let current = best, (current.distance, current.entry) <= (distance, entry) { return }
            best = (distance, entry)
            limit = distance
        }
        return best
    }

    /// Every entry within `maxDistance` of `query`, each once, in entry order (vPDQ counts every
    /// listed frame a query frame reaches). The same probing as ``nearest(to:within:)``, without
    /// narrowing the limit.
    func all(within maxDistance: Int, of query: PDQHash) -> [Int] {
        guard maxDistance >= 0 else { return [] }
        let radius = chunks.isEmpty ? Int.max : maxDistance / chunks.count
        guard radius <= Self.maxRadius else {
            return hashes.indices.filter { hashes[$0].distance(to: query) <= maxDistance }
        }
        var found = Set<Int>()
        forEachCandidate(of: query, radius: radius) { entry, candidate in
            if candidate.distance(to: query) <= maxDistance { found.insert(entry) }
        }
        return found.sorted()
    }

    /// Calls `visit` with every entry (number and hash) sharing a chunk within `radius` bits
    /// of the query's: the candidates, some more than once.
    @inline(__always)
    private func forEachCandidate(of query: PDQHash, radius: Int, _ visit: (Int, PDQHash) -> Void) {
        let count = hashes.count
        hashes.withUnsafeBufferPointer { hashes in
            starts.withUnsafeBufferPointer { starts in
                entries.withUnsafeBufferPointer { entries in
                    for (number, chunk) in chunks.enumerated() {
                        let value = Self.value(of: chunk, in: query)
                        for mask in masks[chunk.width]?[radius] ?? [] {
                            let probe = chunk.table + Int(value ^ mask)
                            for slot in Int(starts[probe])..<Int(starts[probe + 1]) {
                                let entry = Int(entries[number * count + slot])
                                visit(entry, hashes[entry])
                            }
                        }
                    }
                }
            }
        }
    }

    /// The same answer by a linear scan of every entry (small sets, and the oracle in tests).
    func nearestLinear(to query: PDQHash, within maxDistance: Int) -> (distance: Int, entry: Int)? {
        var best: (distance: Int, entry: Int)?
        var limit = maxDistance
        hashes.withUnsafeBufferPointer { hashes in
            for entry in hashes.indices {
                let distance = hashes[entry].distance(to: query)
                if distance <= limit, best.map({ distance < $0.distance }) ?? true {
                    best = (distance, entry)
                    limit = distance
                }
            }
        }
        return best
    }

    /// Every `width`-bit value with at most `radius` bits set, fewest bits first.
    private static func masks(width: Int, radius: Int) -> [UInt32] {
        var masks: [UInt32] = [0]
        var previous: [UInt32] = [0]
        for _ in 0..<radius {
            var next: [UInt32] = []
            for mask in previous {
                // Add one bit above the highest set bit, so each combination appears once.
                let lowest = mask == 0 ? 0 : UInt32.bitWidth - mask.leadingZeroBitCount
                for bit in lowest..<width { next.append(mask | 1 << UInt32(bit)) }
            }
            masks += next
            previous = next
        }
        return masks
    }
}
