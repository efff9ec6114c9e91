/// Netpbm (`P1`–`P6`: PBM, PGM and PPM, plain and raw, maxval up to 65535), converted to 8 bits
/// as Pillow converts them, so PDQ equals the reference's:
///
/// - bitmaps: 1 is black (0), 0 is white (255);
/// - grey and colour with a maxval up to 255: `round(v * 255 / maxval)`;
/// - grey with a larger maxval: Pillow scales to 16 bits (`round(v * 65535 / maxval)`) and
///   clips at 255 when converting, as for 16-bit PNG and TIFF grey;
/// - colour with a larger maxval: `round(v * 255 / maxval)`.
///
/// The declared dimensions are checked against the limits before any pixel is allocated; a
/// raster that ends early is `truncated`, a malformed header or sample is `corrupt`.
enum NetpbmDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        var reader = NetpbmReader(bytes)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1]) else {
            throw ImageDecodeError(.corrupt, "Netpbm: the header is not valid")
        }
        let kind = Int(bytes[1] - UInt8(ascii: "0"))
        reader.offset = 2
        let width = try reader.headerNumber()
        let height = try reader.headerNumber()
        let maxval = kind == 1 || kind == 4 ? 1 : try reader.headerNumber()
        guard (1...65535).contains(maxval) else { throw ImageDecodeError(.corrupt, "Netpbm: maxval \(maxval) is not 1 to 65535") }
        try options.admit(width: width, height: height)
        // Raw rasters start after exactly one whitespace byte.
        if kind >= 4 { try reader.skipOneWhitespace() }
        let channels = kind == 3 || kind == 6 ? 3 : 1
        let count = width * height * channels
        var pixels = [UInt8](repeating: 0, count: count)
        switch kind {
        case 1:
            for index in 0..<count { pixels[index] = try reader.plainBit() ? 0 : 255 }
        case 4:
            let rowBytes = (width + 7) / 8
            try reader.require(rowBytes * height)
            for row in 0..<height {
                for column in 0..<width {
                    let byte = reader.byte(at: reader.offset + row * rowBytes + column / 8)
                    pixels[row * width + column] = byte & (0x80 >> UInt8(column % 8)) != 0 ? 0 : 255
                }
            }
        default:
            let plain = kind <= 3
            let wide = maxval > 255
            if !plain { try reader.require(count * (wide ? 2 : 1)) }
            let grey16 = wide && channels == 1
            for index in 0..<count {
                let value: Int
                if plain {
                    value = try reader.plainNumber()
                } else if wide {
                    value = Int(reader.byte(at: reader.offset + index * 2)) << 8 | Int(reader.byte(at: reader.offset + index * 2 + 1))
                } else {
                    value = Int(reader.byte(at: reader.offset + index))
                }
                guard value <= maxval else { throw ImageDecodeError(.corrupt, "Netpbm: a sample exceeds the maxval") }
                pixels[index] = grey16
                    ? UInt8(min(255, (value * 65535 + maxval / 2) / maxval))
                    : UInt8((value * 255 + maxval / 2) / maxval)
            }
        }
        return DecodedImage(width: width, height: height, layout: channels == 3 ? .rgb : .gray, pixels: pixels)
    }
}

/// A cursor over a Netpbm file's bytes: header numbers (with `#` comments), plain samples and
/// raw bytes, every read checked against the end.
struct NetpbmReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    func byte(at index: Int) -> UInt8 { bytes[index] }

    /// Fails unless `count` bytes remain from the current offset.
    func require(_ count: Int) throws(ImageDecodeError) {
        guard bytes.count - offset >= count else { throw ImageDecodeError(.truncated, "Netpbm: the image data ends early") }
    }

    /// Skips whitespace and, in the header, comments from `#` to the end of the line.
    mutating func skipSeparators(comments: Bool) {
        while offset < bytes.count {
            if Self.isWhitespace(bytes[offset]) {
                offset += 1
            } else if comments && bytes[offset] == UInt8(ascii: "#") {
                while offset < bytes.count && bytes[offset] != 0x0A && bytes[offset] != 0x0D { offset += 1 }
            } else {
                return
            }
        }
    }

    /// A decimal number of at most nine digits.
    private mutating func number(comments: Bool) throws(ImageDecodeError) -> Int {
        skipSeparators(comments: comments)
        guard offset < bytes.count else { throw ImageDecodeError(.truncated, "Netpbm: the image data ends early") }
        var value = 0
        var digits = 0
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
            value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
            digits += 1
            offset += 1
            guard digits <= 9 else { throw ImageDecodeError(.corrupt, "Netpbm: a number is too long") }
        }
        guard digits > 0 else { throw ImageDecodeError(.corrupt, "Netpbm: a number was expected") }
        return value
    }

    mutating func headerNumber() throws(ImageDecodeError) -> Int { try number(comments: true) }

    mutating func plainNumber() throws(ImageDecodeError) -> Int { try number(comments: true) }

    /// One bit of a plain bitmap: `0` or `1`, separated or not.
    mutating func plainBit() throws(ImageDecodeError) -> Bool {
        skipSeparators(comments: true)
        guard offset < bytes.count else { throw ImageDecodeError(.truncated, "Netpbm: the image data ends early") }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "0"): return false
        case UInt8(ascii: "1"): return true
        default: throw ImageDecodeError(.corrupt, "Netpbm: a bitmap sample is not 0 or 1")
        }
    }

    mutating func skipOneWhitespace() throws(ImageDecodeError) {
        guard offset < bytes.count else { throw ImageDecodeError(.truncated, "Netpbm: the image data ends early") }
        guard Self.isWhitespace(bytes[offset]) else { throw ImageDecodeError(.corrupt, "Netpbm: the header is not valid") }
        offset += 1
    }
}
