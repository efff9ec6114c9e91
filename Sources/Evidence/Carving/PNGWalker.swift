import BlindfoldCore

/// PNG: the signature, then chunks by their lengths, each one's CRC checked, to IEND. The
/// first chunk must be IHDR (13 bytes); a chunk whose CRC fails ends the walk with nothing
/// carved, since nothing then proves where the item ends.
struct PNGWalker: CarvingWalker {
    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    private static let header: [UInt8] = [0, 0, 0, 13] + Array("IHDR".utf8)
    private static let iend = Array("IEND".utf8)

    var isVideo: Bool { false }

    func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.has(Self.signature) && head.has(Self.header, at: 8)
    }

    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult {
        var position = bounds.start + 8
        while true {
            guard let length = try reader.integer(at: position, count: 4, bigEndian: true), length < 0x8000_0000 else {
                return .nothing
            }
            let chunkEnd = position + 12 + Int64(length)
            // Past the cap, the item's length is not known: only that it is longer.
            if let verdict = bounds.check(chunkEnd, ext: "png", declared: false) { return verdict }
            let type = try reader.bytes(at: position + 4, minimum: 4)
            guard type.count >= 4, (0..<4).allSatisfy({ Self.isLetter(type[$0]) }) else { return .nothing }
            let isEnd = type.has(Self.iend)
            var crc = CRC32()
            var covered = position + 4
            let dataEnd = position + 8 + Int64(length)
            while covered < dataEnd {
                let view = try reader.bytes(at: covered)
                if view.isEmpty { return .nothing }
                let take = Int(min(Int64(view.count), dataEnd - covered))
                crc.update(UnsafeRawBufferPointer(rebasing: view[0..<take]))
                covered += Int64(take)
            }
            guard let stored = try reader.integer(at: dataEnd, count: 4, bigEndian: true), UInt32(stored) == crc.value else {
                return .nothing
            }
            position = chunkEnd
            if isEnd { return .item(length: position - bounds.start, ext: "png") }
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
