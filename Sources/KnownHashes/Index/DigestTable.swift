#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One digest section of a mapped index: a bucket table on the digests' leading bits, then the
/// sorted fixed-width digests (and their labels). A lookup reads one bucket-table entry pair
/// and scans the bucket's 8 to 16 digests: two pages touched (the table's and the digests').
struct DigestTable: Sendable {
    let algorithm: DigestAlgorithm
    let count: Int
    let bucketBits: Int
    /// Offsets in the file.
    let bucketOffset: Int
    let digestOffset: Int
    /// Nil when no entry is labelled.
    let labelOffset: Int?

    /// The bucket of the digest at `digest`: its leading `bits` bits.
    @inline(__always)
    static func bucket(of digest: UnsafePointer<UInt8>?, bits: Int) -> Int {
        guard bits > 0, let digest else { return 0 }
        let leading = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return Int(leading >> UInt32(32 - bits))
    }

    /// The label of `digest` (`algorithm.byteWidth` bytes), or nil when it is not in the table.
    func label(of digest: UnsafePointer<UInt8>, in file: MappedFile) -> UInt16? {
        let width = algorithm.byteWidth
        let bucket = Self.bucket(of: digest, bits: bucketBits)
        var low = Int(file.load(bucketOffset + bucket * 4, as: UInt32.self))
        var high = Int(file.load(bucketOffset + (bucket + 1) * 4, as: UInt32.self))
        guard let base = file.bytes.baseAddress, low <= high, high <= count else { return nil }
        let digests = base + digestOffset
        // Binary search down to a short run, then a linear scan: its loads do not depend on
        // one another, so the run's few cache lines are fetched together instead of one
        // dependent miss per halving.
        while high - low > 16 {
            let middle = (low + high) / 2
            let order = memcmp(digests + middle * width, digest, width)
            if order == 0 { return label(at: middle, in: file) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        let leading = UnsafeRawPointer(digest).loadUnaligned(as: UInt64.self)
        for candidate in low..<high {
            let record = UnsafeRawPointer(digests + candidate * width)
            if record.loadUnaligned(as: UInt64.self) == leading, memcmp(record, digest, width) == 0 {
                return label(at: candidate, in: file)
            }
        }
        return nil
    }

    private func label(at index: Int, in file: MappedFile) -> UInt16 {
        guard let labelOffset else { return 0 }
        return file.load(labelOffset + index * 2, as: UInt16.self)
    }
}
