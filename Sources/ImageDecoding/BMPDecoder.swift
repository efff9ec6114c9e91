/// Windows BMP, read in Swift: 1, 4 and 8-bit palette images, 16, 24 and 32-bit direct
/// colour (plain or with bit-field masks), bottom-up or top-down. RLE-compressed bitmaps are
/// `unsupported`.
enum BMPDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        let data = ByteView(bytes)
        guard bytes.count >= 26 else { throw ImageDecodeError(.truncated, "BMP: the headers are cut short") }
        let pixelOffset = Int(data.u32(10))
        let headerSize = Int(data.u32(14))
        let width: Int, signedHeight: Int, bitsPerPixel: Int, compression: UInt32
        var paletteEntrySize = 4
        if headerSize == 12 {
            width = Int(data.u16(18))
            signedHeight = Int(Int16(bitPattern: data.u16(20)))
            bitsPerPixel = Int(data.u16(24))
            compression = 0
            paletteEntrySize = 3
        } else if headerSize >= 40 {
            guard bytes.count >= 14 + 40 else { throw ImageDecodeError(.truncated, "BMP: the headers are cut short") }
            width = Int(Int32(bitPattern: data.u32(18)))
            signedHeight = Int(Int32(bitPattern: data.u32(22)))
            bitsPerPixel = Int(data.u16(28))
            compression = data.u32(30)
        } else {
            throw ImageDecodeError(.corrupt, "BMP: the header size is not one BMP defines")
        }
        let height = abs(signedHeight)
        try options.admit(width: width, height: height)
        guard [1, 4, 8, 16, 24, 32].contains(bitsPerPixel) else {
            throw ImageDecodeError(.unsupported, "BMP: a pixel depth BMP does not define")
        }
        guard compression == 0 || compression == 3 || compression == 6 else {
            throw ImageDecodeError(.unsupported, compression <= 6
                ? "BMP: compression method \(compression) (run-length, JPEG or PNG inside) is not decoded"
                : "BMP: an unknown compression method")
        }

        let masks: (UInt32, UInt32, UInt32)
        if compression == 3 || compression == 6 {
            // The masks follow a 40-byte header, or sit at the same place inside a larger one.
            let maskOffset = 54
            guard bytes.count >= maskOffset + 12 else { throw ImageDecodeError(.truncated, "BMP: the colour masks are cut short") }
            masks = (data.u32(maskOffset), data.u32(maskOffset + 4), data.u32(maskOffset + 8))
        } else if bitsPerPixel == 16 {
            masks = (0x7C00, 0x03E0, 0x001F)
        } else {
            masks = (0x00FF_0000, 0x0000_FF00, 0x0000_00FF)
        }

        var palette: [(UInt8, UInt8, UInt8)] = []
        if bitsPerPixel <= 8 {
            let declared = headerSize >= 40 ? Int(data.u32(46)) : 0
            let entries = declared == 0 || declared > 1 << bitsPerPixel ? 1 << bitsPerPixel : declared
            let start = 14 + headerSize
            for entry in 0..<entries {
                let offset = start + entry * paletteEntrySize
                guard offset + 3 <= bytes.count, offset + 3 <= pixelOffset else { break }
                palette.append((data[offset + 2], data[offset + 1], data[offset]))
            }
        }

        let stride = ((width * bitsPerPixel + 31) / 32) * 4
        let (needed, overflow) = stride.multipliedReportingOverflow(by: height)
        guard !overflow, pixelOffset >= 0, pixelOffset <= bytes.count else {
            throw ImageDecodeError(.corrupt, "BMP: the pixel data offset is out of range")
        }
        guard bytes.count - pixelOffset >= needed else { throw ImageDecodeError(.truncated, "BMP: the pixel data is cut short") }

        let fields = [BitField(mask: masks.0), BitField(mask: masks.1), BitField(mask: masks.2)]
        guard fields.allSatisfy(\.isContiguous) else {
            throw ImageDecodeError(.unsupported, "BMP: colour masks that are not one run of bits")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            let sourceRow = signedHeight > 0 ? height - 1 - row : row
            let rowStart = pixelOffset + sourceRow * stride
            for x in 0..<width {
                let (r, g, b): (UInt8, UInt8, UInt8)
                switch bitsPerPixel {
                case 1, 4, 8:
                    let bitOffset = x * bitsPerPixel
                    let byte = data[rowStart + bitOffset / 8]
                    let shift = 8 - bitsPerPixel - bitOffset % 8
                    let index = Int(byte >> UInt8(shift)) & ((1 << bitsPerPixel) - 1)
                    (r, g, b) = index < palette.count ? palette[index] : (0, 0, 0)
                case 16:
                    let value = UInt32(data.u16(rowStart + x * 2))
                    (r, g, b) = (fields[0].extract(value), fields[1].extract(value), fields[2].extract(value))
                case 24:
                    let offset = rowStart + x * 3
                    (r, g, b) = (data[offset + 2], data[offset + 1], data[offset])
                default:
                    let value = data.u32(rowStart + x * 4)
                    (r, g, b) = (fields[0].extract(value), fields[1].extract(value), fields[2].extract(value))
                }
                let target = (row * width + x) * 3
                pixels[target] = r
                pixels[target + 1] = g
                pixels[target + 2] = b
            }
        }
        return DecodedImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}

/// One colour channel of a bit-field pixel, scaled to 8 bits (in 64-bit arithmetic: a mask
/// may be up to 32 bits wide).
private struct BitField {
    let shift: UInt64
    let maximum: UInt64
    let mask: UInt64

    init(mask: UInt32) {
        self.mask = UInt64(mask)
        shift = mask == 0 ? 0 : UInt64(mask.trailingZeroBitCount)
        maximum = mask == 0 ? 0 : UInt64(mask) >> shift
    }

    /// True when the mask's bits are one run (what every writer produces).
    var isContiguous: Bool { maximum & (maximum &+ 1) == 0 }

    func extract(_ value: UInt32) -> UInt8 {
        guard maximum > 0 else { return 0 }
        let raw = (UInt64(value) & mask) >> shift
        return UInt8(truncatingIfNeeded: (raw * 255 + maximum / 2) / maximum)
    }
}

/// Little-endian reads from a byte buffer whose bounds the caller has checked.
struct ByteView {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    subscript(offset: Int) -> UInt8 { bytes[offset] }

    func u16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }

    func u32(_ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
