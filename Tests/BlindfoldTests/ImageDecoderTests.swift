import BlindfoldCore
import Foundation
import ImageDecoding
import PDQ
import Testing

/// Every decoder on the synthetic fixtures: the same picture in every lossless format decodes
/// to the same pixels; hostile files are refused with the right status and never crash.
@Suite("Image decoders")
struct ImageDecoderTests {
    static let formats = TestEnvironment.fixtures.appendingPathComponent("images/formats")
    static let hostile = TestEnvironment.fixtures.appendingPathComponent("images/hostile")
    static let options = ImageDecodeOptions(maxPixels: 100_000_000)

    static func decode(_ url: URL, options: ImageDecodeOptions = options) -> Result<DecodedImage, ImageDecodeError> {
        guard let data = try? Data(contentsOf: url) else { return .failure(ImageDecodeError(.unreadable, "fixture missing")) }
        return data.withUnsafeBytes { bytes in
            do throws(ImageDecodeError) { return .success(try ImageDecoder.decode(bytes, options: options)) } catch { return .failure(error) }
        }
    }

    /// Pixels as RGB triples, whatever the layout.
    static func rgb(_ image: DecodedImage) -> [UInt8] {
        var out: [UInt8] = []
        let channels = image.layout.channels
        for index in 0..<(image.width * image.height) {
            let base = index * channels
            if image.layout.isColour {
                out += image.pixels[base..<base + 3]
            } else {
                out += [image.pixels[base], image.pixels[base], image.pixels[base]]
            }
        }
        return out
    }

    @Test("PNG, BMP, GIF, TIFF and lossless WebP of one picture decode to identical pixels and PDQ", arguments: ["bmp", "gif", "tif", "webp", "png-gamma", "png-16bit"])
    func losslessFormatsAgree(_ format: String) throws {
        let reference = try Self.decode(Self.formats.appendingPathComponent("pattern.png")).get()
        let name = format.hasPrefix("png-") ? "pattern-\(format.dropFirst(4)).png" : "pattern.\(format)"
        let other = try Self.decode(Self.formats.appendingPathComponent(name)).get()
        #expect(reference.width == 96 && reference.height == 64)
        #expect(other.width == reference.width && other.height == reference.height)
        #expect(Self.rgb(other) == Self.rgb(reference), "\(format) pixels differ from the PNG's")
        #expect(PDQHasher.hash(other).hash == PDQHasher.hash(reference).hash)
    }

    @Test("16-bit grey is clipped at 255, as Pillow converts it")
    func grey16Clips() throws {
        let image = try Self.decode(Self.formats.appendingPathComponent("grey16.png")).get()
        #expect(image.width == 64 && image.height == 16 && image.layout == .gray)
        let expected = (0..<64).map { x in UInt8(min((x * 1024) / 64, 255)) }
        #expect(Array(image.pixels.prefix(64)) == expected)
    }

    @Test("HEIC (lossy) decodes to the picture's size and a PDQ hash near the PNG's")
    func heicDecodes() throws {
        let reference = try Self.decode(Self.formats.appendingPathComponent("pattern.png")).get()
        let heic = try Self.decode(Self.formats.appendingPathComponent("pattern.heic")).get()
        #expect(heic.width == 96 && heic.height == 64)
        let distance = PDQHasher.hash(heic).hash.distance(to: PDQHasher.hash(reference).hash)
        #expect(distance <= 16, "HEIC is \(distance) bits from the PNG")
    }

    @Test("The JPEG luma plane equals djpeg's greyscale output byte for byte")
    func jpegLumaMatchesDjpeg() throws {
        let jpeg = TestEnvironment.evidence.appendingPathComponent("DCIM/100CAMERA/IMG_0001.jpg")
        let decoded = try Self.decode(jpeg, options: ImageDecodeOptions(maxPixels: 1 << 30, jpegLumaOnly: true)).get()
        #expect(decoded.layout == .gray)
        let djpeg = try ProcessRunner.run("/usr/bin/djpeg", ["-grayscale", "-pnm", jpeg.path])
        #expect(djpeg.exitCode == 0)
        let pgm = [UInt8](djpeg.stdoutData)
        #expect(Array(pgm.suffix(decoded.pixels.count)) == decoded.pixels)
        let rgb = try Self.decode(jpeg).get()
        let djpegRGB = try ProcessRunner.run("/usr/bin/djpeg", ["-pnm", jpeg.path])
        #expect(Array([UInt8](djpegRGB.stdoutData).suffix(rgb.pixels.count)) == rgb.pixels)
    }

    @Test("Hostile images get their status and no pixels",
          arguments: [("huge-dimensions.jpg", ItemStatus.limit), ("truncated.png", .truncated), ("truncated.jpg", .truncated), ("no-frames.gif", .corrupt),
                      ("empty.jpg", .unsupported), ("random-after-signature.png", .corrupt)])
    func hostileImages(_ name: String, _ status: ItemStatus) {
        switch Self.decode(Self.hostile.appendingPathComponent(name)) {
        case .success: Issue.record("\(name) decoded")
        case .failure(let error): #expect(error.status == status, "\(name): \(error)")
        }
    }

    @Test("A declared size over the pixel limit is refused before decoding")
    func pixelLimit() {
        let png = Self.formats.appendingPathComponent("pattern.png")
        switch Self.decode(png, options: ImageDecodeOptions(maxPixels: 96 * 64 - 1)) {
        case .success: Issue.record("decoded past the limit")
        case .failure(let error): #expect(error.status == .limit)
        }
    }

    @Test("A BMP bit-field mask wider than 24 bits scales to 8 bits instead of overflowing")
    func wideBitFieldMask() throws {
        // Found while fuzzing (Fixtures/fuzz/image-bmp): 1x1, 32 bits, BI_BITFIELDS, red mask
        // 0xFFFFFFFF, pixel 0xFFFFFFFF. Hand-computed: red = full scale, green and blue 0xFF of 0xFF.
        let url = TestEnvironment.fixtures.appendingPathComponent("fuzz/image-bmp/bitfield-mask-wider-than-24-bits")
        let image = try Self.decode(url).get()
        #expect(image.width == 1 && image.height == 1)
        #expect(Self.rgb(image) == [255, 255, 255])
    }

    @Test("A PNG chunk declaring more bytes than the file holds is refused without allocating them")
    func pngChunkLongerThanFile() {
        // Found while fuzzing (Fixtures/fuzz/image-png): a 44-byte PNG whose text chunk declares
        // 2,013,265,947 bytes made libpng allocate (and the process touch) 2 GB. The shim caps
        // chunk allocations (png_set_chunk_malloc_max); the file is refused, never decoded.
        let url = TestEnvironment.fixtures.appendingPathComponent("fuzz/image-png/text-chunk-declares-2-gb")
        switch Self.decode(url) {
        case .success: Issue.record("decoded")
        case .failure(let error): #expect([.truncated, .corrupt, .limit].contains(error.status), "\(error)")
        }
    }
}
