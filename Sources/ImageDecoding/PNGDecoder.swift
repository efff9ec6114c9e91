import CPNG

/// PNG through libpng's simplified API (the classic API needs `setjmp`, which Swift cannot
/// use). Every bit depth, palette and grey image comes out as 8-bit grey or RGB, with the
/// alpha channel kept apart and ignored, never composited.
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
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

    /// The error libpng reported, classified (its text can quote chunk names from the file).
    private static func failure(_ image: inout png_image, stage: String) -> ImageDecodeError {
        let text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&image)
        let lower = text.lowercased()
        if lower.contains("beyond end of data") || lower.contains("not enough image data") {
            return ImageDecodeError(.truncated, "PNG \(stage): the image data ends early")
        }
        return ImageDecodeError.fromLibrary(text, format: "PNG \(stage)")
    }
}
