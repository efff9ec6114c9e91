import BlindfoldCore

/// Near-neighbour search over PDQ hashes: the entry nearest to a query within a Hamming
/// distance, exactly as a linear scan finds it, but without scanning.
///
/// Multi-index hashing (Norouzi et al.): the 256 bits are cut into 16 chunks of 16 bits, and
/// each chunk has its own table from chunk value to the entries having it. If an entry is
/// within distance `d` of the query, then at least one of its 16 chunks is within `r = ⌊d/16⌋`
/// of the query's chunk: were every chunk `r + 1` or more apart, the distance would be at least
/// `16(r + 1) > d`. So probing, in every chunk table, each value within `r` bits of the query's
/// chunk (1 + 16 values for the default d = 31, r = 1) finds every entry within `d`; each
/// candidate's true distance is then computed. Ties go to the entry first in hash order, as in
/// the linear scan, so both give the same answer. Sets under ``linearLimit`` entries, and
/// distances of 48 and more, are scanned linearly.
struct PDQIndex: Sendable {
    /// Below this many entries a linear scan is as fast.
    static let linearLimit = 1024
    static let chunks = 16
    private static let tableSize = 65_537

    /// The entries' hashes, in hash order.
    let hashes: [PDQHash]
    /// Per chunk: start of each chunk value's run in `entries` (`chunks * tableSize`).
    private let starts: [UInt32]
    /// Per chunk: entry numbers ordered by that chunk's value (`chunks * count`).
    private let entries: [UInt32]

    /// An index over `hashes` (already in hash order).
    init(hashes: [PDQHash]) {
        self.hashes = hashes
        guard hashes.count >= Self.linearLimit else {
            starts = []
            entries = []
            return
        }
        let count = hashes.count
        var starts = [UInt32](repeating: 0, count: Self.chunks * Self.tableSize)
        var entries = [UInt32](repeating: 0, count: Self.chunks * count)
        for chunk in 0..<Self.chunks {
            let table = chunk * Self.tableSize
            for hash in hashes { starts[table + Int(Self.chunk(chunk, of: hash)) + 1] += 1 }
            for value in 1..<Self.tableSize { starts[table + value] += starts[table + value - 1] }
            var next = Array(starts[table..<(table + Self.tableSize)])
            for (number, hash) in hashes.enumerated() {
                let value = Int(Self.chunk(chunk, of: hash))
                entries[chunk * count + Int(next[value])] = UInt32(number)
                next[value] += 1
            }
        }
        self.starts = starts
        self.entries = entries
    }

    /// Chunk `index` (bits `16 * index ..< 16 * (index + 1)`) of `hash`.
    @inline(__always)
    static func chunk(_ index: Int, of hash: PDQHash) -> UInt16 {
        let word: UInt64
        switch index >> 2 {
        case 0: word = hash.words.0
        case 1: word = hash.words.1
        case 2: word = hash.words.2
        default: word = hash.words.3
        }
        return UInt16(truncatingIfNeeded: word >> UInt64((index & 3) * 16))
    }

    /// The nearest entry within `maxDistance` of `query`: its distance and number (the
    /// smallest number among equally near ones), or nil.
    func nearest(to query: PDQHash, within maxDistance: Int) -> (distance: Int, entry: Int)? {
        let radius = maxDistance / Self.chunks
        guard !starts.isEmpty, maxDistance >= 0, radius <= 2 else { return nearestLinear(to: query, within: maxDistance) }
        var best: (distance: Int, entry: Int)?
        let masks = Self.maskSets[radius]
        let count = hashes.count
        hashes.withUnsafeBufferPointer { hashes in
            starts.withUnsafeBufferPointer { starts in
                entries.withUnsafeBufferPointer { entries in
                    for chunk in 0..<Self.chunks {
                        let value = Self.chunk(chunk, of: query)
                        let table = chunk * Self.tableSize
                        for mask in masks {
                            let probe = Int(value ^ mask)
                            let low = Int(starts[table + probe]), high = Int(starts[table + probe + 1])
                            for slot in low..<high {
                                let entry = Int(entries[chunk * count + slot])
                                let distance = hashes[entry].distance(to: query)
                                guard distance <= maxDistance else { continue }
                                if let current = best, (current.distance, current.entry) <= (distance, entry) { continue }
                                best = (distance, entry)
                            }
                        }
                    }
                }
            }
        }
        return best
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

    /// Per radius 0, 1, 2: every 16-bit value with at most that many bits set.
    private static let maskSets = (0...2).map { masks(radius: $0) }

    /// Every 16-bit value with at most `radius` (0 to 2) bits set.
    private static func masks(radius: Int) -> [UInt16] {
        var masks: [UInt16] = [0]
        if radius >= 1 { for bit in 0..<16 { masks.append(1 << UInt16(bit)) } }
        if radius >= 2 {
            for first in 0..<16 { for second in (first + 1)..<16 { masks.append(1 << UInt16(first) | 1 << UInt16(second)) } }
        }
        return masks
    }
}
