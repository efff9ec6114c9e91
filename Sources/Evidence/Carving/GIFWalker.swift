import BlindfoldCore

/// GIF: the header and logical screen, the global color table, then blocks (image
/// descriptors with their local color table, LZW code size and data sub-blocks; extensions
/// with their sub-blocks) to the trailer. An item needs at least one image.
struct GIFWalker: CarvingWalker {
    var isVideo: Bool { false }

    func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        (head.has(Array("GIF87a".utf8)) || head.has(Array("GIF89a".utf8)))
            && head.littleEndian(at: 6, width: 2) > 0 && head.littleEndian(at: 8, width: 2) > 0
    }

    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult {
        guard let flags = try reader.byte(at: bounds.start + 10) else { return .nothing }
        var position = bounds.start + 13 + Self.colorTableBytes(flags)
        var images = 0
        while true {
            if let verdict = bounds.check(position + 1, ext: "gif", declared: false) { return verdict }
            guard let introducer = try reader.byte(at: position) else { return .nothing }
            switch introducer {
            case 0x3B:
                return images > 0 ? .item(length: position + 1 - bounds.start, ext: "gif") : .nothing
            case 0x2C:
                let descriptor = try reader.bytes(at: position, minimum: 10)
                guard descriptor.count >= 10, descriptor.littleEndian(at: 5, width: 2) > 0,
                      descriptor.littleEndian(at: 7, width: 2) > 0 else { return .nothing }
                position += 10 + Self.colorTableBytes(descriptor[9])
                guard let codeSize = try reader.byte(at: position), (1...11).contains(codeSize) else { return .nothing }
                position += 1
                images += 1
            case 0x21:
                position += 2  // introducer and label
            default:
                return .nothing
            }
            if let verdict = try skipSubBlocks(&position, bounds, reader) { return verdict }
        }
    }

    /// Moves `position` past a chain of data sub-blocks (a length byte, then that many
    /// bytes) and its terminator; the walk's verdict instead when it cannot.
    private func skipSubBlocks(
        _ position: inout Int64, _ bounds: WalkBounds, _ reader: RegionReader
    ) throws(ItemReadError) -> WalkResult? {
        while true {
            if let verdict = bounds.check(position + 1, ext: "gif", declared: false) { return verdict }
            guard let size = try reader.byte(at: position) else { return WalkResult.nothing }
            position += 1 + Int64(size)
            if size == 0 { return nil }
        }
    }

    /// The bytes of the color table a packed-fields byte announces (none without its flag).
    private static func colorTableBytes(_ flags: UInt8) -> Int64 {
        flags & 0x80 == 0 ? 0 : 3 << (Int64(flags & 0x07) + 1)
    }
}
