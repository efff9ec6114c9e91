#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A digest table's bucket boundaries on fewer leading bits than the file's own bucket table,
/// copied into memory when the index is opened, so that a lookup's first step stays in the
/// processor's cache and only the digests themselves are a trip to memory.
///
/// At 100 million digests the file's table (2^23 buckets, 32 MiB) misses the cache and the TLB
/// on nearly every lookup; this one has about 64 to 128 digests a bucket (at most 2^20 buckets,
/// 4 MiB, advised into huge pages), and a lookup finds its place inside the bucket by
/// interpolation, which works because digests are uniform (docs/PERFORMANCE.md, "Hash sets").
///
/// `@unchecked Sendable`: the memory is written only in `init` and only read afterwards, by
/// any number of scan workers; it is freed in `deinit`, when no reference is left.
final class CoarseBuckets: @unchecked Sendable {
    /// Leading bits that choose a bucket.
    let bits: Int
    /// `2^bits + 1` entries: bucket `b` holds the digests `starts[b] ..< starts[b + 1]`.
    let starts: UnsafeMutableBufferPointer<UInt32>

    /// The largest table: 2^20 buckets (4 MiB).
    static let maximumBits = 20

    /// Bits for `count` digests whose file table has `fileBits` bits: 64 to 128 digests a bucket.
    static func bits(for count: Int, fileBits: Int) -> Int {
        guard count >= 128 else { return 0 }
        let log2 = Int.bitWidth - 1 - count.leadingZeroBitCount
        return min(fileBits, maximumBits, log2 - 6)
    }

    /// Copies every `2^(fileBits - bits)`-th boundary of the file's table at `offset` in `file`;
    /// nil when the boundaries are not in order or pass `count` (a damaged table).
    init?(file: MappedFile, offset: Int, fileBits: Int, count: Int) {
        let bits = Self.bits(for: count, fileBits: fileBits)
        let entries = (1 << bits) + 1
        let byteCount = entries * MemoryLayout<UInt32>.stride
        let hugePage = 2 << 20
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, byteCount >= hugePage ? hugePage : 64, byteCount) == 0, let raw else { return nil }
        #if canImport(Glibc)
        if byteCount >= hugePage { _ = madvise(raw, byteCount, Int32(MADV_HUGEPAGE)) }
        #endif
        let starts = UnsafeMutableBufferPointer(start: raw.bindMemory(to: UInt32.self, capacity: entries), count: entries)
        let shift = fileBits - bits
        var previous: UInt32 = 0
        var ordered = true
        for bucket in 0..<(entries - 1) {
            let start = file.load(offset + (bucket << shift) * 4, as: UInt32.self)
            ordered = ordered && start >= previous
            previous = start
            starts[bucket] = start
        }
        starts[entries - 1] = UInt32(truncatingIfNeeded: count)
        guard ordered, Int(previous) <= count, file.load(offset + (1 << fileBits) * 4, as: UInt32.self) == UInt32(count) else {
            free(raw)
            return nil
        }
        self.bits = bits
        self.starts = starts
    }

    deinit { free(starts.baseAddress) }
}
