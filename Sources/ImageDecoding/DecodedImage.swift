/// How the channels of a decoded pixel are laid out, one byte each.
public enum PixelLayout: Sendable, Hashable {
    /// One grey (luma) byte per pixel.
    case gray
    /// Grey then alpha; the alpha is ignored by the hashes.
    case grayAlpha
    /// Red, green, blue.
    case rgb
    /// Red, green, blue, alpha; the alpha is ignored by the hashes.
    case rgba

    /// Bytes per pixel.
    public var channels: Int {
        switch self {
        case .gray: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// True when the pixel carries colour (red, green, blue) rather than grey.
    public var isColour: Bool { self == .rgb || self == .rgba }
}

/// An image decoded into memory: rows top to bottom, pixels left to right, no padding.
///
/// Never written anywhere: the hashing plugins read it and drop it.
public struct DecodedImage: Sendable {
    /// Pixels per row.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The channel layout of each pixel.
    public let layout: PixelLayout
    /// `width * height * layout.channels` bytes.
    public let pixels: [UInt8]

    /// An image from its parts; `pixels` must hold exactly `width * height * layout.channels` bytes.
    public init(width: Int, height: Int, layout: PixelLayout, pixels: [UInt8]) {
        precondition(pixels.count == width * height * layout.channels, "pixel buffer does not match the dimensions")
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
    }

    /// Bytes in one row.
    public var rowBytes: Int { width * layout.channels }
}
