import CAVFormat
import ImageDecoding

/// Converts decoded frames to packed RGB24 at the stream's declared size with FFmpeg's
/// swscale and the reference's `SWS_AREA` filter: the conversion vPDQ hashes. One scaler and one
/// aligned target buffer, reused for every sampled frame, so memory does not grow with length.
/// The only code that owns a `SwsContext`.
final class RGBConverter {
    private let width: Int
    private let height: Int
    private let stride: Int
    private var scaler: OpaquePointer?
    private let target: UnsafeMutablePointer<UInt8>

    /// A converter to `width` x `height`; nil when the buffer cannot be allocated.
    init?(width: Int, height: Int) {
        self.width = width
        self.height = height
        // As aligned as the reference's av_frame_get_buffer, so swscale takes the same paths.
        stride = (width * 3 + 63) & ~63
        guard let raw = av_malloc(stride * height) else { return nil }
        target = raw.assumingMemoryBound(to: UInt8.self)
    }

    deinit {
        sws_freeContext(scaler)
        av_free(target)
    }

    /// The frame in RGB24 at the declared size; nil when swscale refuses the frame's format or size.
    func convert(_ frame: UnsafePointer<AVFrame>) -> DecodedImage? {
        let source = frame.pointee
        guard source.width > 0, source.height > 0,
              let pixelFormat = AVPixelFormat(rawValue: source.format) as AVPixelFormat?
        else { return nil }
        // The frame's own size and format (not the stream's), so a stream that changes size
        // midway is never read out of bounds.
        scaler = sws_getCachedContext(
            scaler, source.width, source.height, pixelFormat, Int32(width), Int32(height), AV_PIX_FMT_RGB24,
            SWS_AREA, nil, nil, nil)
        guard let scaler else { return nil }
        guard cav_scale_frame_to_rgb24(scaler, frame, target, Int32(stride)) == Int32(height) else { return nil }
        let rowBytes = width * 3
        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        pixels.withUnsafeMutableBytes { packed in
            guard let base = packed.baseAddress else { return }
            for row in 0..<height {
                (base + row * rowBytes).copyMemory(from: target + row * stride, byteCount: rowBytes)
            }
        }
        return DecodedImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }
}
