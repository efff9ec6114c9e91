import CWebP

/// WebP (lossy and lossless, still images) through libwebp, decoded straight into a Swift
/// buffer as RGB; the alpha channel, when present, is dropped as the reference does.
enum WebPDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodeError(.corrupt, "the file is empty")
        }
        var features = WebPBitstreamFeatures()
        let status = WebPGetFeatures(base, bytes.count, &features)
        switch status {
        case VP8_STATUS_OK: break
        case VP8_STATUS_NOT_ENOUGH_DATA: throw ImageDecodeError(.truncated, "WebP: the header is cut short")
        case VP8_STATUS_UNSUPPORTED_FEATURE: throw ImageDecodeError(.unsupported, "WebP: a feature libwebp does not support")
        default: throw ImageDecodeError(.corrupt, "WebP: the header is not valid (status \(status.rawValue))")
        }
        if features.has_animation != 0 { throw ImageDecodeError(.unsupported, "WebP: animated images are not decoded") }
        let width = Int(features.width), height = Int(features.height)
        try options.admit(width: width, height: height)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let decoded = pixels.withUnsafeMutableBufferPointer { out in
            WebPDecodeRGBInto(base, bytes.count, out.baseAddress, out.count, Int32(width * 3))
        }
        guard decoded != nil else {
            // libwebp does not say why; a stream cut short is the usual cause when the header was fine.
            throw ImageDecodeError(.corrupt, "WebP: the image data could not be decoded (damaged or cut short)")
        }
        return DecodedImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}
