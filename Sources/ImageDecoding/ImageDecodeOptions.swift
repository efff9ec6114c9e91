/// What a caller wants from a decode.
public struct ImageDecodeOptions: Sendable, Hashable {
    /// Images whose declared width times height exceeds this are refused with `limit` before
    /// any pixel is decoded.
    public var maxPixels: Int
    /// For JPEG: decode only the luma (Y) plane when the file is YCbCr or grey. About three
    /// times cheaper than RGB and within 0-2 PDQ bits of the reference.
    public var jpegLumaOnly: Bool
    /// The luma-only decode is used only for JPEGs with at least this many pixels: on small
    /// images the difference between the file's Y plane and the luminance of its RGB decode
    /// moves more bits, and decoding them in colour costs little.
    public var jpegLumaOnlyMinimumPixels: Int
    /// For JPEG: decode at the smallest DCT scale (1/2, 1/4, 1/8) that keeps the short side at
    /// least this long; nil decodes at full size.
    public var jpegMinimumShortSide: Int?

    /// Options from their parts.
    public init(
        maxPixels: Int, jpegLumaOnly: Bool = false, jpegLumaOnlyMinimumPixels: Int = 0, jpegMinimumShortSide: Int? = nil
    ) {
        self.maxPixels = maxPixels
        self.jpegLumaOnly = jpegLumaOnly
        self.jpegLumaOnlyMinimumPixels = jpegLumaOnlyMinimumPixels
        self.jpegMinimumShortSide = jpegMinimumShortSide
    }

    /// The longest side accepted (JPEG's own maximum): the hashes keep per-column state, so a
    /// 20-million-pixel-wide strip must not pass just because its area is small.
    public static let maxSide = 65_535

    /// Checks declared dimensions against the limits (and against nonsense).
    func admit(width: Int, height: Int) throws(ImageDecodeError) {
        guard width > 0, height > 0 else { throw ImageDecodeError(.corrupt, "the image declares no pixels") }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxPixels { throw .tooLarge(width: width, height: height, limit: maxPixels) }
        if max(width, height) > Self.maxSide {
            throw ImageDecodeError(.limit, "\(width)x\(height) pixels: a side longer than \(Self.maxSide) pixels")
        }
    }
}
