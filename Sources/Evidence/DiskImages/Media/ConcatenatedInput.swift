import BlindfoldCore

/// Several inputs read as one, end to end: the media of a split raw image.
///
/// The sizes are taken once, when the segments are opened; a read never crosses into a
/// segment that is not there.
public final class ConcatenatedInput: RandomAccessInput {
    private let parts: [any RandomAccessInput]
    /// Where each part starts in the whole.
    private let starts: [Int64]

    public let size: Int64

    /// The inputs `parts`, in order.
    public init(_ parts: [any RandomAccessInput]) {
        self.parts = parts
        var starts: [Int64] = []
        var total: Int64 = 0
        for part in parts {
            starts.append(total)
            total += part.size
        }
        self.starts = starts
        self.size = total
    }

    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard offset >= 0, offset < size, !buffer.isEmpty else { return 0 }
        // The last part starting at or before `offset`.
        var low = 0
        var high = parts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var filled = 0
        var index = low
        var position = offset
        while filled < buffer.count, index < parts.count {
            let end = starts[index] + parts[index].size
            if position >= end {
                index += 1
                continue
            }
            let wanted = min(buffer.count - filled, Int(clamping: end - position))
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<filled + wanted])
            let count = try parts[index].read(at: position - starts[index], into: target)
            // A segment shorter than when it was opened: stop rather than misplace bytes.
            if count == 0 { break }
            filled += count
            position += Int64(count)
        }
        return filled
    }
}
