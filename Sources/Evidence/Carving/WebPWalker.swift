import BlindfoldCore

/// WebP: a RIFF file of form `WEBP` whose size is its length; its chunks (the first one
/// `VP8 `, `VP8L` or `VP8X`) are walked by their sizes, padded to even, and must end exactly
/// where the RIFF size says.
struct WebPWalker: CarvingWalker {
    private static let firstChunks: [[UInt8]] = [Array("VP8 ".utf8), Array("VP8L".utf8), Array("VP8X".utf8)]

    var isVideo: Bool { false }

    func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.has(Array("RIFF".utf8)) && head.has(Array("WEBP".utf8), at: 8)
            && Self.firstChunks.contains { head.has($0, at: 12) }
    }

    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult {
        guard let riffSize = try reader.integer(at: bounds.start + 4, count: 4, bigEndian: false), riffSize >= 12 else {
            return .nothing
        }
        let end = bounds.start + 8 + Int64(riffSize) + Int64(riffSize & 1)
        if let verdict = bounds.check(end, ext: "webp", declared: true) { return verdict }
        var position = bounds.start + 12
        while position < end {
            let header = try reader.bytes(at: position, minimum: 8)
            guard header.count >= 8, (0..<4).allSatisfy({ (0x20...0x7E).contains(header[$0]) }) else { return .nothing }
            let size = Int64(header.littleEndian(at: 4, width: 4))
            position += 8 + size + (size & 1)
        }
        return position == end ? .item(length: end - bounds.start, ext: "webp") : .nothing
    }
}
