import BlindfoldCore
import CTurboJPEG

/// JPEG through TurboJPEG: luma only or RGB, optionally at a reduced DCT scale; CMYK and YCCK
/// converted to RGB the way Pillow does (Adobe-inverted, then `255 - K` scaled).
///
/// The TurboJPEG handle lives for one decode and is freed by `deinit`; nothing else touches it.
final class JPEGDecoder {
    private let handle: tjhandle

    init() throws(ImageDecodeError) {
        guard let handle = tjInitDecompress() else { throw ImageDecodeError(.unsupported, "TurboJPEG could not start") }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodeError(.corrupt, "the file is empty")
        }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        guard tjDecompressHeader3(handle, base, UInt(bytes.count), &width, &height, &subsampling, &colourspace) == 0 else {
            throw ImageDecodeError.fromLibrary(message(), format: "JPEG header")
        }
        try options.admit(width: Int(width), height: Int(height))
        let (outWidth, outHeight) = scaled(width: width, height: height, minimumShortSide: options.jpegMinimumShortSide)

        let cmyk = colourspace == Int32(TJCS_CMYK.rawValue) || colourspace == Int32(TJCS_YCCK.rawValue)
        let lumaOnly = options.jpegLumaOnly && Int(width) * Int(height) >= options.jpegLumaOnlyMinimumPixels
        let gray = colourspace == Int32(TJCS_GRAY.rawValue) || (lumaOnly && !cmyk)
        let format = cmyk ? TJPF_CMYK : (gray ? TJPF_GRAY : TJPF_RGB)
        let channels = cmyk ? 4 : (gray ? 1 : 3)
        var pixels = [UInt8](repeating: 0, count: Int(outWidth) * Int(outHeight) * channels)
        let result = pixels.withUnsafeMutableBufferPointer { out in
            tjDecompress2(handle, base, UInt(bytes.count), out.baseAddress, outWidth, 0, outHeight,
                          Int32(format.rawValue), TJFLAG_LIMITSCANS)
        }
        if result != 0 {
            let text = message()
            // A warning still leaves a whole image, except when the data ended early: then the
            // bottom is grey filler and no hash of it may stand.
            if tjGetErrorCode(handle) != Int32(TJERR_WARNING.rawValue) { throw ImageDecodeError.fromLibrary(text, format: "JPEG") }
            if text.contains("Premature end") { throw ImageDecodeError.fromLibrary(text, format: "JPEG") }
        }
        if cmyk {
            return DecodedImage(width: Int(outWidth), height: Int(outHeight), layout: .rgb,
                                pixels: CMYKConversion.invertedCMYKToRGB(pixels))
        }
        return DecodedImage(width: Int(outWidth), height: Int(outHeight), layout: gray ? .gray : .rgb, pixels: pixels)
    }

    /// The output size for the smallest TurboJPEG scale whose short side stays at or above
    /// `minimumShortSide` (full size when nil or when no reduction qualifies).
    private func scaled(width: Int32, height: Int32, minimumShortSide: Int?) -> (Int32, Int32) {
        guard let minimumShortSide else { return (width, height) }
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return (width, height) }
        var best = (width, height)
        for index in 0..<Int(count) {
            let factor = factors[index]
            guard factor.num < factor.denom, factor.num > 0 else { continue }
            let w = (width * factor.num + factor.denom - 1) / factor.denom
            let h = (height * factor.num + factor.denom - 1) / factor.denom
            if Int(min(w, h)) >= minimumShortSide && Int(w) * Int(h) < Int(best.0) * Int(best.1) { best = (w, h) }
        }
        return best
    }

    /// TurboJPEG's message, only ever classified (it can quote marker bytes from the file).
    private func message() -> String {
        guard let text = tjGetErrorStr2(handle) else { return "" }
        return String(cString: text)
    }
}

/// Colour conversions that decoders share.
enum CMYKConversion {
    /// Adobe-style inverted CMYK (as JPEG stores it) to RGB, with Pillow's integer arithmetic:
    /// after undoing the inversion, each channel is `(255 - K) - C * (255 - K) / 255`.
    static func invertedCMYKToRGB(_ cmyk: [UInt8]) -> [UInt8] {
        let pixels = cmyk.count / 4
        var rgb = [UInt8](repeating: 0, count: pixels * 3)
        rgb.withUnsafeMutableBufferPointer { out in
            cmyk.withUnsafeBufferPointer { input in
                for index in 0..<pixels {
                    let k = 255 - Int(input[index * 4 + 3])
                    let nk = 255 - k
                    for channel in 0..<3 {
                        let c = 255 - Int(input[index * 4 + channel])
                        let product = c * nk + 128
                        let scaled = ((product >> 8) + product) >> 8
                        out[index * 3 + channel] = UInt8(clamping: nk - scaled)
                    }
                }
            }
        }
        return rgb
    }
}
