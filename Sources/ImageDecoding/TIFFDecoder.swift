import CTIFF

/// TIFF through libtiff's RGBA interface (every photometric interpretation libtiff knows),
/// first directory only, read from memory through client callbacks. 16-bit grey
/// (BlackIsZero, one sample, strips) is read sample by sample instead and clipped at 255, as
/// Pillow converts `I;16` to 8 bits (the RGBA interface would keep the high byte). libtiff's process-wide
/// message handlers are silenced once, so no decoder text ever reaches the terminal.
enum TIFFDecoder {
    /// Silences libtiff's handlers exactly once (Swift initialises a static `let` once, safely).
    private static let silenced: Bool = {
        ctiff_silence()
        return true
    }()

    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        _ = silenced
        let reader = SeekableMemory(bytes)
        let context = Unmanaged.passUnretained(reader).toOpaque()
        return try withExtendedLifetime(reader) { () throws(ImageDecodeError) -> DecodedImage in
            guard let tiff = TIFFClientOpen(
                "item", "rm", context,
                { handle, buffer, size in
                    guard let handle, let buffer else { return -1 }
                    return tmsize_t(Unmanaged<SeekableMemory>.fromOpaque(handle).takeUnretainedValue().read(into: buffer, count: Int(size)))
                },
                { _, _, _ in -1 },
                { handle, offset, whence in
                    guard let handle else { return UInt64.max }
                    return Unmanaged<SeekableMemory>.fromOpaque(handle).takeUnretainedValue().seek(offset, whence: whence)
                },
                { _ in 0 },
                { handle in
                    guard let handle else { return 0 }
                    return Unmanaged<SeekableMemory>.fromOpaque(handle).takeUnretainedValue().size
                },
                { _, _, _ in 0 },
                { _, _, _ in }
            ) else {
                throw ImageDecodeError(.corrupt, "TIFF: the header is not valid")
            }
            defer { TIFFClose(tiff) }
            var width: UInt32 = 0, height: UInt32 = 0
            guard ctiff_get_u32(tiff, UInt32(TIFFTAG_IMAGEWIDTH), &width) == 1,
                ctiff_get_u32(tiff, UInt32(TIFFTAG_IMAGELENGTH), &height) == 1
            else { throw ImageDecodeError(.corrupt, "TIFF: no image dimensions") }
            try options.admit(width: Int(width), height: Int(height))
            if let grey = try Self.clippedGrey16(tiff, width: Int(width), height: Int(height)) { return grey }
            var problem = [CChar](repeating: 0, count: 1024)
            guard TIFFRGBAImageOK(tiff, &problem) == 1 else {
                throw ImageDecodeError(.unsupported, "TIFF: this pixel layout is not decoded")
            }
            // Each 32-bit word is R | G << 8 | B << 16 | A << 24: in memory, bytes R, G, B, A.
            var words = [UInt32](repeating: 0, count: Int(width) * Int(height))
            let read = words.withUnsafeMutableBufferPointer { raster in
                TIFFReadRGBAImageOriented(tiff, width, height, raster.baseAddress, ORIENTATION_TOPLEFT, 1)
            }
            guard read == 1 else { throw ImageDecodeError(.corrupt, "TIFF: the image data could not be decoded (damaged or cut short)") }
            let pixels = words.withUnsafeBytes { Array($0) }
            return DecodedImage(width: Int(width), height: Int(height), layout: .rgba, pixels: pixels)
        }
    }
}

extension TIFFDecoder {
    /// A 16-bit BlackIsZero single-sample image in strips, with every sample clipped at 255;
    /// nil for any other layout.
    static func clippedGrey16(_ tiff: OpaquePointer, width: Int, height: Int) throws(ImageDecodeError) -> DecodedImage? {
        var bits: UInt16 = 0, samples: UInt16 = 0, photometric: UInt16 = 0
        guard ctiff_get_u16(tiff, UInt32(TIFFTAG_BITSPERSAMPLE), &bits) == 1, bits == 16,
            ctiff_get_u16(tiff, UInt32(TIFFTAG_SAMPLESPERPIXEL), &samples) == 1, samples == 1,
            ctiff_get_u16(tiff, UInt32(TIFFTAG_PHOTOMETRIC), &photometric) == 1,
            photometric == UInt16(PHOTOMETRIC_MINISBLACK), TIFFIsTiled(tiff) == 0
        else { return nil }
        let lineBytes = Int(TIFFScanlineSize(tiff))
        guard lineBytes >= width * 2 else { throw ImageDecodeError(.corrupt, "TIFF: the scanline size is not valid") }
        var line = [UInt16](repeating: 0, count: (lineBytes + 1) / 2)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for row in 0..<height {
            let read = line.withUnsafeMutableBytes { TIFFReadScanline(tiff, $0.baseAddress, UInt32(row), 0) }
            guard read == 1 else {
                throw ImageDecodeError(.corrupt, "TIFF: the image data could not be decoded (damaged or cut short)")
            }
            // libtiff hands the samples over in the machine's byte order.
            for column in 0..<width { pixels[row * width + column] = UInt8(min(line[column], 255)) }
        }
        return DecodedImage(width: width, height: height, layout: .gray, pixels: pixels)
    }
}

/// A read-only, seekable view of an in-memory file for the read callbacks of libtiff and giflib.
///
/// One decode owns it; the library calls back on the same thread, so it needs no locks.
final class SeekableMemory {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var size: UInt64 { UInt64(bytes.count) }

    func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        let available = min(max(count, 0), max(bytes.count - offset, 0))
        guard available > 0, let base = bytes.baseAddress else { return 0 }
        destination.copyMemory(from: base.advanced(by: offset), byteCount: available)
        offset += available
        return available
    }

    func seek(_ position: UInt64, whence: Int32) -> UInt64 {
        let origin: Int
        switch whence {
        case SEEK_CUR: origin = offset
        case SEEK_END: origin = bytes.count
        default: origin = 0
        }
        // libtiff passes negative relative offsets as two's-complement unsigned values.
        let (target, overflow) = origin.addingReportingOverflow(Int(truncatingIfNeeded: position))
        guard !overflow, target >= 0 else { return UInt64.max }
        offset = target
        return UInt64(target)
    }
}
