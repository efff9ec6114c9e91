import BlindfoldCore

/// BMP: the file header's size, checked against the pixel array the info header's
/// dimensions, bit depth and compression imply. The item is the declared size when the pixel
/// array fits inside it and the size claims at most ``slack`` bytes more (an ICC profile).
struct BMPWalker: CarvingWalker {
    /// Bytes a file may hold past its pixel array (a version 5 header's color profile).
    static let slack: Int64 = 64 << 10
    private static let headerSizes: Set<UInt64> = [12, 40, 52, 56, 64, 108, 124]

    var isVideo: Bool { false }

    func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        head.has(Array("BM".utf8)) && Self.headerSizes.contains(head.littleEndian(at: 14, width: 4))
    }

    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult {
        let header = try reader.bytes(at: bounds.start, minimum: 54)
        guard header.count >= 26 else { return .nothing }
        let fileSize = Int64(header.littleEndian(at: 2, width: 4))
        let pixelOffset = Int64(header.littleEndian(at: 10, width: 4))
        let infoSize = Int64(header.littleEndian(at: 14, width: 4))
        let width: Int64, height: Int64, planes: UInt64, depth: UInt64, compression: UInt64, imageSize: Int64
        if infoSize == 12 {
            width = Int64(header.littleEndian(at: 18, width: 2))
            height = Int64(header.littleEndian(at: 20, width: 2))
            planes = header.littleEndian(at: 22, width: 2)
            depth = header.littleEndian(at: 24, width: 2)
            compression = 0
            imageSize = 0
        } else {
            guard header.count >= 38 else { return .nothing }
            width = Int64(Int32(truncatingIfNeeded: header.littleEndian(at: 18, width: 4)))
            height = Int64(Int32(truncatingIfNeeded: header.littleEndian(at: 22, width: 4))).magnitude.signed
            planes = header.littleEndian(at: 26, width: 2)
            depth = header.littleEndian(at: 28, width: 2)
            compression = header.littleEndian(at: 30, width: 4)
            imageSize = Int64(header.littleEndian(at: 34, width: 4))
        }
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24, planes == 1, [1, 4, 8, 16, 24, 32].contains(depth),
              pixelOffset >= 14 + infoSize, pixelOffset < fileSize else { return .nothing }
        let pixelBytes: Int64
        switch compression {
        case 0, 3, 6:  // uncompressed, bit fields
            pixelBytes = (Int64(depth) * width + 31) / 32 * 4 * height
        case 1, 2:  // run-length encoded: the size the header states
            guard imageSize > 0 else { return .nothing }
            pixelBytes = imageSize
        default:
            return .nothing
        }
        let pixelEnd = pixelOffset + pixelBytes
        guard pixelEnd <= fileSize, fileSize - pixelEnd <= Self.slack else { return .nothing }
        return bounds.check(bounds.start + fileSize, ext: "bmp", declared: true) ?? .item(length: fileSize, ext: "bmp")
    }
}

extension UInt64 {
    /// The value as a signed integer (magnitudes of 32-bit fields always fit).
    fileprivate var signed: Int64 { Int64(clamping: self) }
}
