#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One digest section of a mapped index: a bucket table on the digests' leading bits, then the
/// sorted fixed-width digests (and their labels). A lookup reads one bucket-table entry pair
/// and binary-searches about a dozen digests: two or three pages touched.
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
        while low < high {
            let middle = (low + high) / 2
            let order = memcmp(digests + middle * width, digest, width)
            if order == 0 {
                guard let labelOffset else { return 0 }
                return file.load(labelOffset + middle * 2, as: UInt16.self)
            }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
