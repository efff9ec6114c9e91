import CPNG

/// PNG through libpng's simplified API (the classic API needs `setjmp`, which Swift cannot
/// use). Every bit depth, palette and grey image comes out as 8-bit grey or RGB, with the
/// alpha channel kept apart and ignored, never composited.
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        try checkChunkLengths(bytes)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
            throw failure(&image, stage: "header")
        }
        do {
            try options.admit(width: Int(image.width), height: Int(image.height))
        } catch {
            png_image_free(&image)
            throw error
        }
        let colour = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
        let alpha = image.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
        let layout: PixelLayout = colour ? (alpha ? .rgba : .rgb) : (alpha ? .grayAlpha : .gray)
        image.format = (colour ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0) | (alpha ? UInt32(PNG_FORMAT_FLAG_ALPHA) : 0)
        let width = Int(image.width), height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
        let finished = pixels.withUnsafeMutableBytes { out in
            png_image_finish_read(&image, nil, out.baseAddress, Int32(width * layout.channels), nil)
        }
        guard finished != 0 else { throw failure(&image, stage: "data") }
        png_image_free(&image)
        return DecodedImage(width: width, height: height, layout: layout, pixels: pixels)
    }

    /// The error libpng reported, classified: data that stops early is `truncated`.
    /// Refuses a file in which a chunk declares more bytes than the rest of the file holds,
    /// before libpng sees it. libpng allocates a chunk's declared length (up to 2 GiB) before
    /// reading it, and the simplified API offers no way to set a limit first: a 1.4 KB file
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
                throw ImageDecodeError(.truncated, "PNG: a chunk declares \(length) bytes, more than the rest of the file holds")
            }
            let isEnd = bytes[offset + 4] == 0x49 && bytes[offset + 5] == 0x45 && bytes[offset + 6] == 0x4E
                && bytes[offset + 7] == 0x44  // IEND
            if isEnd { return }
            offset += 12 + length
        }
    }

    private static func failure(_ image: inout png_image, stage: String) -> ImageDecodeError {
        let text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&image)
        let message = ImageDecodeError.decoderMessage(text)
        let lower = message.lowercased()
        let truncated = lower.contains("end of file") || lower.contains("end of data") || lower.contains("not enough")
            || lower.contains("read error")
            || lower.contains("truncated")
        return ImageDecodeError(truncated ? .truncated : .corrupt, "PNG \(stage): \(message)")
    }
}
