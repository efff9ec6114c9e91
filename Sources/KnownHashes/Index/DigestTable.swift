#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One digest section of a mapped index: a bucket table on the digests' leading bits, then the
/// sorted fixed-width digests (and their labels).
///
/// A lookup reads its bucket's bounds from ``CoarseBuckets`` (in memory, in cache), guesses the
/// digest's place inside the bucket from its next 32 bits (digests are uniform, so the guess is
/// a few records off), and walks from there: one trip to memory for the digests' cache line.
struct DigestTable: Sendable {
    let algorithm: DigestAlgorithm
    let count: Int
    /// Offsets in the file.
    let digestOffset: Int
    /// Nil when no entry is labelled.
    let labelOffset: Int?
    /// The bucket bounds a lookup starts from.
    let buckets: CoarseBuckets

    /// The first eight bytes at `pointer` as a big-endian number: ordering these orders the
    /// digests (they are sorted byte-wise).
    @inline(__always)
    static func leadingWord(_ pointer: UnsafeRawPointer) -> UInt64 {
        UInt64(bigEndian: pointer.loadUnaligned(as: UInt64.self))
    }

    /// The label of `digest` (`algorithm.byteWidth` bytes), or nil when it is not in the table.
    func label(of digest: UnsafePointer<UInt8>, in file: MappedFile) -> UInt16? {
        guard let base = file.bytes.baseAddress else { return nil }
        let width = algorithm.byteWidth
        let key = Self.leadingWord(digest)
        let bits = buckets.bits
        let bucket = bits == 0 ? 0 : Int(truncatingIfNeeded: key >> UInt64(64 - bits))
        let low = Int(buckets.starts[bucket]), high = Int(buckets.starts[bucket + 1])
        guard low < high else { return nil }
        let digests = UnsafeRawPointer(base + digestOffset)
        // The next 32 bits after the bucket's place where the digest would sit in its bucket.
        let fraction = (key << UInt64(bits)) >> 32
        var candidate = low + Int(truncatingIfNeeded: (fraction &* UInt64(high - low)) >> 32)
        if Self.leadingWord(digests + candidate * width) < key {
            candidate += 1
            while candidate < high, Self.leadingWord(digests + candidate * width) < key { candidate += 1 }
        } else {
            while candidate > low, Self.leadingWord(digests + (candidate - 1) * width) >= key { candidate -= 1 }
        }
        // `candidate` is the first record not below `key` on the leading word.
        while candidate < high, Self.leadingWord(digests + candidate * width) == key {
            if memcmp(digests + candidate * width, digest, width) == 0 { return label(at: candidate, in: file) }
            candidate += 1
        }
        return nil
    }

    private func label(at index: Int, in file: MappedFile) -> UInt16 {
        guard let labelOffset else { return 0 }
        return file.load(labelOffset + index * 2, as: UInt16.self)
    }
}
