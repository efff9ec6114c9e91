import CPNG
import Glibc

/// PNG through libpng's classic API, run entirely inside a C function of the module's shim
/// (libpng reports errors with `longjmp`, which Swift cannot host). No gamma correction, as in
/// Pillow: every bit depth, grey, palette and alpha come out as 8-bit samples, 16-bit colour
/// by its high byte, 16-bit grey clipped to 255, the alpha channel kept apart and ignored.
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodeError(.corrupt, "PNG: the file is empty")
        }
        try checkChunkLengths(bytes)
        var result = cpng_result()
        var pixels: UnsafeMutablePointer<UInt8>?
        cpng_decode(base, bytes.count, UInt64(options.maxPixels), UInt32(ImageDecodeOptions.maxSide), &result, &pixels)
        defer { free(pixels) }
        switch result.status {
        case 0: break
        case 2: throw ImageDecodeError(.truncated, "PNG: the image data ends early")
        case 3:
            try options.admit(width: Int(result.width), height: Int(result.height))
            throw ImageDecodeError(.limit, "PNG: the image exceeds a decoder limit")
        case 4: throw ImageDecodeError(.limit, "PNG: not enough memory to decode the image")
        default: throw ImageDecodeError(.corrupt, "PNG: the image data is damaged")
        }
        let width = Int(result.width), height = Int(result.height)
        try options.admit(width: width, height: height)
        let layout: PixelLayout
        switch result.channels {
        case 1: layout = .gray
        case 2: layout = .grayAlpha
        case 3: layout = .rgb
        case 4: layout = .rgba
        default: throw ImageDecodeError(.unsupported, "PNG: an unexpected channel layout")
        }
        guard let pixels else { throw ImageDecodeError(.corrupt, "PNG: the decoder returned no pixels") }
        let copied = Array(UnsafeBufferPointer(start: pixels, count: width * height * layout.channels))
        return DecodedImage(width: width, height: height, layout: layout, pixels: copied)
    }

    /// Refuses a file in which a chunk declares more bytes than the rest of the file holds,
    /// before libpng sees it. libpng 1.6.39 allocates a text chunk's declared length (up to
    /// 2 GiB) before reading it, `png_set_chunk_malloc_max` notwithstanding: a 44-byte file
    /// whose text chunk claimed 2 GB cost 2 GB of memory (found by fuzzing, docs/FUZZING.md).
    /// With this check no chunk buffer is larger than the file.
    private static func checkChunkLengths(_ bytes: UnsafeRawBufferPointer) throws(ImageDecodeError) {
        var offset = 8  // after the signature
        while bytes.count - offset >= 8 {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            // Not a chunk header (a type is four ASCII letters, a length at most 2^31 - 1): the
            // file is damaged here, and libpng says how.
            let isType = (4..<8).allSatisfy { index in
                let byte = bytes[offset + index] | 0x20
                return byte >= 0x61 && byte <= 0x7A
            }
            guard isType, length <= 0x7FFF_FFFF else { return }
            // Length, type, data and CRC.
            guard length <= bytes.count - offset - 12 else {
                throw ImageDecodeError(.truncated, "PNG: a chunk declares more bytes than the rest of the file holds")
            }
            let isEnd = bytes[offset + 4] == 0x49 && bytes[offset + 5] == 0x45 && bytes[offset + 6] == 0x4E
                && bytes[offset + 7] == 0x44  // IEND
            if isEnd { return }
            offset += 12 + length
        }
    }
}
