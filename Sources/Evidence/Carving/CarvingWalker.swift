import BlindfoldCore

/// What walking a format's structure from a candidate found.
enum WalkResult: Equatable {
    /// A whole item: its length in bytes and its extension.
    case item(length: Int64, ext: String)
    /// The structure goes on past the size cap: recorded, not read. Its length when the
    /// structure declares it.
    case tooLarge(length: Int64?, ext: String)
    /// Not an item of this format here: the structure breaks, or the region ends before it does.
    case nothing
}

/// One carved format: recognises its signature and finds the item's end by walking its
/// structure (markers, chunks, blocks, boxes), never by searching for a footer alone.
protocol CarvingWalker: Sendable {
    /// True for videos, which have their own size cap.
    var isVideo: Bool { get }
    /// Whether the first bytes at a candidate carry the format's signature (`head` holds at
    /// least ``Carver/headBytes`` bytes).
    func recognises(_ head: UnsafeRawBufferPointer) -> Bool
    /// Walks the structure from `bounds.start`, reading through `reader`.
    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult
}

/// Where a walk starts, where its region ends, and its size cap.
struct WalkBounds {
    /// The candidate's first byte in the image.
    let start: Int64
    /// The first byte past the region being carved.
    let regionEnd: Int64
    /// The largest length carved.
    let cap: Int64

    /// What an item ending at `end` (exclusive) amounts to: nil when it fits, `.nothing` when it
    /// runs past the region, `.tooLarge` when it runs past the cap.
    func check(_ end: Int64, ext: String, declared: Bool) -> WalkResult? {
        if end > regionEnd || end < start { return WalkResult.nothing }
        if end - start > cap { return .tooLarge(length: declared ? end - start : nil, ext: ext) }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes from `offset` are `expected`.
    func has(_ expected: [UInt8], at offset: Int = 0) -> Bool {
        guard offset + expected.count <= count else { return false }
        for (index, byte) in expected.enumerated() where self[offset + index] != byte { return false }
        return true
    }

    /// A little-endian unsigned integer of `width` bytes at `offset` (the caller checked the count).
    func littleEndian(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(self[offset + index]) }
        return value
    }

    /// A big-endian unsigned integer of `width` bytes at `offset` (the caller checked the count).
    func bigEndian(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<width { value = value << 8 | UInt64(self[offset + index]) }
        return value
    }
}
