#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DigestRecords {
    /// Sorts the records by digest (as unsigned bytes), removes duplicates and the empty-input
    /// digest, in about twice the records' memory.
    ///
    /// A counting pass and a scatter on the first two bytes make 65,536 buckets (a few thousand
    /// records each even at 100 million, as digests are uniform), then each bucket is sorted on
    /// its remaining bytes packed into words. A duplicate keeps the lowest non-zero label.
    mutating func sortUnique(dropping empty: [UInt8]) {
        let width = self.width
        guard count > 0 else { return }
        var starts = [Int](repeating: 0, count: 65_537)
        digests.withUnsafeBufferPointer { bytes in
            for index in 0..<count { starts[(Int(bytes[index * width]) << 8 | Int(bytes[index * width + 1])) + 1] += 1 }
        }
        for bucket in 1...65_536 { starts[bucket] += starts[bucket - 1] }
        var scattered = [UInt8](repeating: 0, count: count * width)
        var scatteredLabels = labels.isEmpty ? [] : [UInt16](repeating: 0, count: count)
        var next = starts
        digests.withUnsafeBufferPointer { bytes in
            scattered.withUnsafeMutableBufferPointer { target in
                for index in 0..<count {
                    let bucket = (Int(bytes[index * width]) << 8) | Int(bytes[index * width + 1])
                    let position = next[bucket]
                    next[bucket] += 1
                    if let from = bytes.baseAddress, let to = target.baseAddress {
                        memcpy(to + position * width, from + index * width, width)
                    }
                    if !labels.isEmpty { scatteredLabels[position] = labels[index] }
                }
            }
        }
        digests = []
        let hadLabels = !labels.isEmpty
        labels = []
        var written = 0
        var keys: [BucketKey] = []
        var bucketCopy: [UInt8] = []
        var labelCopy: [UInt16] = []
        scattered.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for bucket in 0..<65_536 where starts[bucket + 1] > starts[bucket] {
                let start = starts[bucket], end = starts[bucket + 1]
                keys.removeAll(keepingCapacity: true)
                for index in start..<end {
                    keys.append(BucketKey(base + index * width, width: width, index: UInt32(index - start)))
                }
                keys.sort()
                bucketCopy.removeAll(keepingCapacity: true)
                bucketCopy.append(contentsOf: UnsafeBufferPointer(start: base + start * width, count: (end - start) * width))
                labelCopy.removeAll(keepingCapacity: true)
                if hadLabels { labelCopy.append(contentsOf: scatteredLabels[start..<end]) }
                var previous: BucketKey?
                var previousWritten = false
                for key in keys {
                    let label = hadLabels ? labelCopy[Int(key.index)] : 0
                    if let previous, previous.sameDigest(as: key) {
                        let kept = hadLabels && previousWritten ? scatteredLabels[written - 1] : 0
                        if previousWritten, label != 0, kept == 0 || label < kept { scatteredLabels[written - 1] = label }
                        continue
                    }
                    previous = key
                    previousWritten = false
                    let isEmpty = bucketCopy.withUnsafeBufferPointer { copy in
                        guard let from = copy.baseAddress else { return false }
                        return memcmp(from + Int(key.index) * width, empty, width) == 0
                    }
                    if isEmpty { continue }
                    bucketCopy.withUnsafeBufferPointer { copy in
                        if let from = copy.baseAddress { memcpy(base + written * width, from + Int(key.index) * width, width) }
                    }
                    if hadLabels { scatteredLabels[written] = label }
                    written += 1
                    previousWritten = true
                }
            }
        }
        scattered.removeSubrange((written * width)...)
        digests = scattered
        if hadLabels && scatteredLabels[0..<written].contains(where: { $0 != 0 }) {
            scatteredLabels.removeSubrange(written...)
            labels = scatteredLabels
        }
        count = written
    }
}

/// A record's bytes after the first two, as big-endian words (zero-padded), with its place in
/// its bucket: ordering keys orders the digests.
private struct BucketKey: Comparable {
    var words: (UInt64, UInt64, UInt64, UInt64)
    var index: UInt32

    init(_ record: UnsafePointer<UInt8>, width: Int, index: UInt32) {
        var packed: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &packed) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: record + 2, count: width - 2))
        }
        words = (packed.0.bigEndian, packed.1.bigEndian, packed.2.bigEndian, packed.3.bigEndian)
        self.index = index
    }

    func sameDigest(as other: BucketKey) -> Bool {
        words.0 == other.words.0 && words.1 == other.words.1 && words.2 == other.words.2 && words.3 == other.words.3
    }

    static func < (lhs: BucketKey, rhs: BucketKey) -> Bool {
        (lhs.words.0, lhs.words.1, lhs.words.2, lhs.words.3, lhs.index)
            < (rhs.words.0, rhs.words.1, rhs.words.2, rhs.words.3, rhs.index)
    }

    static func == (lhs: BucketKey, rhs: BucketKey) -> Bool { lhs.sameDigest(as: rhs) && lhs.index == rhs.index }
}
