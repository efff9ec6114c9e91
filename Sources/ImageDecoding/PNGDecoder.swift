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
}
