import BlindfoldCore

/// Reads a disk image forward through one fixed window, never past the end of the region
/// being carved: memory stays at the window's size whatever the region's.
///
/// A view it returns stays valid until the next call. Not `Sendable`: one carver owns it.
final class RegionReader {
    private let input: any RandomAccessInput
    private let buffer: UnsafeMutableRawBufferPointer
    private var windowStart: Int64 = 0
    private var windowCount = 0
    /// The first byte that may not be read (the region's end).
    private(set) var end: Int64 = 0
    /// The largest single read asked of the input, and all bytes read, for the tests that
    /// check carving stays streamed.
    private(set) var largestRead = 0
    private(set) var bytesRead: Int64 = 0

    /// A reader over `input` with a window of `capacity` bytes.
    init(input: any RandomAccessInput, capacity: Int) {
        self.input = input
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// The window's size: the most bytes ``bytes(at:minimum:)`` can promise.
    var capacity: Int { buffer.count }

    /// Moves the limit to `end` (the next region's); what the window holds is dropped.
    func limit(to end: Int64) {
        self.end = end
        windowCount = 0
    }

    /// The bytes from `position` on that the window holds, at least `minimum` of them unless
    /// the region ends first (then fewer; none at or past its end).
    func bytes(at position: Int64, minimum: Int = 1) throws(ItemReadError) -> UnsafeRawBufferPointer {
        guard position >= 0, position < end else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let windowEnd = windowStart + Int64(windowCount)
        let holds = position >= windowStart && position < windowEnd
        if !holds || (position + Int64(min(minimum, capacity)) > windowEnd && windowEnd < end) {
            try fill(from: position)
        }
        let first = Int(position - windowStart)
        return UnsafeRawBufferPointer(rebasing: buffer[first..<windowCount])
    }

    /// The byte at `position`, or nil at or past the region's end.
    func byte(at position: Int64) throws(ItemReadError) -> UInt8? {
        let view = try bytes(at: position)
        return view.isEmpty ? nil : view[0]
    }

    /// `count` bytes at `position` as an unsigned integer, big-endian or little-endian; nil
    /// when the region ends first.
    func integer(at position: Int64, count: Int, bigEndian: Bool) throws(ItemReadError) -> UInt64? {
        let view = try bytes(at: position, minimum: count)
        guard view.count >= count else { return nil }
        var value: UInt64 = 0
        for index in 0..<count {
            let byte = UInt64(view[bigEndian ? index : count - 1 - index])
            value = value << 8 | byte
        }
        return value
    }

    private func fill(from position: Int64) throws(ItemReadError) {
        let wanted = Int(min(Int64(buffer.count), end - position))
        largestRead = max(largestRead, wanted)
        var filled = 0
        while filled < wanted {
            let count = try input.read(
                at: position + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<wanted]))
            if count == 0 { break }
            filled += count
        }
        bytesRead += Int64(filled)
        windowStart = position
        windowCount = filled
    }
}
