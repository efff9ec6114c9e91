import BlindfoldCore
import Foundation
@testable import ImageDecoding
import PDQ
import Testing

/// Issue #13: Netpbm images get PDQ, decoded as Pillow decodes them; 16-bit grey TIFF is
/// clipped at 255 as Pillow converts it. Every file is written here from the fixture picture.
@Suite("Netpbm and 16-bit grey")
struct NetpbmAndGreyTests {
    static let pattern = ImageDecoderTests.formats.appendingPathComponent("pattern.png")

    static func decode(_ bytes: [UInt8]) throws(ImageDecodeError) -> DecodedImage {
        let result = bytes.withUnsafeBytes { buffer -> Result<DecodedImage, ImageDecodeError> in
            do throws(ImageDecodeError) {
                return .success(try ImageDecoder.decode(buffer, options: ImageDecoderTests.options))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The fixture picture's RGB samples, width and height.
    static func picture() throws -> (rgb: [UInt8], width: Int, height: Int) {
        let image = try ImageDecoderTests.decode(pattern).get()
        return (ImageDecoderTests.rgb(image), image.width, image.height)
    }

    static func header(_ magic: String, _ width: Int, _ height: Int, maxval: Int?) -> [UInt8] {
        Array("\(magic)\n# a comment\n\(width) \(height)\n\(maxval.map { "\($0)\n" } ?? "")".utf8)
    }

    /// The picture as P6 (8 and 16 bits) and P3: the same pixels and PDQ as the PNG.
    static func colourVariants() throws -> [String: [UInt8]] {
        let (rgb, width, height) = try picture()
        let wide = rgb.flatMap { value -> [UInt8] in
            let sample = Int(value) * 257
            return [UInt8(sample >> 8), UInt8(sample & 0xFF)]
        }
        let plain = rgb.map(String.init).joined(separator: " ")
        return [
            "p6.ppm": header("P6", width, height, maxval: 255) + rgb,
            "p6-16.ppm": header("P6", width, height, maxval: 65535) + wide,
            "p3.ppm": header("P3", width, height, maxval: 255) + Array(plain.utf8) + [0x0A],
        ]
    }

    /// Grey and bitmap versions of the picture, with odd maxvals (scaled as Pillow scales them).
    static func greyVariants() throws -> [String: [UInt8]] {
        let (rgb, width, height) = try picture()
        let grey = stride(from: 0, to: rgb.count, by: 3).map { Int(rgb[$0]) }
        let wide = grey.flatMap { value -> [UInt8] in
            let sample = value * 4
            return [UInt8(sample >> 8), UInt8(sample & 0xFF)]
        }
        var bits: [UInt8] = []
        for row in 0..<height {
            var byte: UInt8 = 0
            for column in 0..<width {
                if grey[row * width + column] < 128 { byte |= 0x80 >> UInt8(column % 8) }
                if column % 8 == 7 || column == width - 1 {
                    bits.append(byte)
                    byte = 0
                }
            }
        }
        return [
            "p5.pgm": header("P5", width, height, maxval: 255) + grey.map { UInt8($0) },
            "p5-15.pgm": header("P5", width, height, maxval: 15) + grey.map { UInt8($0 / 17) },
            "p5-1020.pgm": header("P5", width, height, maxval: 1020) + wide,
            "p2-1020.pgm": header("P2", width, height, maxval: 1020) + Array(grey.map { String($0 * 4) }.joined(separator: "\n").utf8),
            "p4.pbm": header("P4", width, height, maxval: nil) + bits,
            "p1.pbm": header("P1", width, height, maxval: nil) + Array(grey.map { $0 < 128 ? "1" : "0" }.joined().utf8),
        ]
    }

    @Test("P6 (8 and 16 bits) and P3 of the fixture picture decode to the PNG's pixels and PDQ")
    func colourNetpbm() throws {
        let reference = try ImageDecoderTests.decode(Self.pattern).get()
        for (name, bytes) in try Self.colourVariants() {
            let image = try Self.decode(bytes)
            #expect(image.width == reference.width && image.height == reference.height, "\(name)")
            #expect(ImageDecoderTests.rgb(image) == ImageDecoderTests.rgb(reference), "\(name)")
            #expect(PDQHasher.hash(image).hash == PDQHasher.hash(reference).hash, "\(name)")
        }
    }

    static let pillow: Bool = (try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import PIL"]).exitCode == 0) ?? false

    @Test("grey and bitmap Netpbm and 16-bit grey TIFF decode to Pillow's pixels", .enabled(if: pillow))
    func pillowAgrees() throws {
        let directory = try TemporaryDirectory("netpbm-pillow")
        defer { directory.remove() }
        var files = try Self.greyVariants().merging(try Self.colourVariants()) { first, _ in first }
        files["grey16.tif"] = Self.grey16TIFF(width: 64, height: 16) { x, y in UInt16(x * 1024 / 64 + y) }
        for (name, bytes) in files {
            try Data(bytes).write(to: directory.child(name))
            let image = try Self.decode(bytes)
            let mode = image.layout.isColour ? "RGB" : "L"
            let oracle = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", """
                import sys; from PIL import Image
                sys.stdout.buffer.write(Image.open(sys.argv[1]).convert("\(mode)").tobytes())
                """, directory.child(name).path])
            #expect(oracle.exitCode == 0, "\(name): \(oracle.stderr)")
            #expect([UInt8](oracle.stdoutData) == image.pixels, "\(name) differs from Pillow")
        }
    }

    @Test("16-bit grey TIFF is clipped at 255 like 16-bit grey PNG")
    func grey16TIFF() throws {
        let tiff = Self.grey16TIFF(width: 64, height: 16) { x, _ in UInt16(x * 1024 / 64) }
        let image = try Self.decode(tiff)
        #expect(image.layout == .gray && image.width == 64 && image.height == 16)
        let row = (0..<64).map { x in UInt8(min((x * 1024) / 64, 255)) }
        #expect(image.pixels == Array((0..<16).map { _ in row }.joined()))
        let png = try ImageDecoderTests.decode(ImageDecoderTests.formats.appendingPathComponent("grey16.png")).get()
        #expect(Array(image.pixels.prefix(64)) == Array(png.pixels.prefix(64)))
    }

    @Test("damaged Netpbm: truncated, corrupt or over the limit, never a crash", arguments: [
        ("P6\n4 4\n255\n\u{1}\u{2}", ItemStatus.truncated), ("P2\n2 2\n255\n1 2 3", .truncated),
        ("P5\n2 2\n0\n....", .corrupt), ("P5\n2 2\n70000\n", .corrupt), ("P2\n1 1\n10\n11\n", .corrupt),
        ("P1\n2 1\n0 7\n", .corrupt), ("P5\n99999 99999\n255\n", .limit), ("P6\n1234567890 1\n255\n", .corrupt),
    ])
    func damaged(_ text: String, status: ItemStatus) {
        #expect(throws: ImageDecodeError.self) { try Self.decode(Array(text.utf8)) }
        do { _ = try Self.decode(Array(text.utf8)) } catch { #expect(error.status == status, "\(text): \(error)") }
    }

    @Test("a scan hashes Netpbm with PDQ (libmagic's image/x-portable-* reach the plugin); a truncated one says truncated")
    func scanHashesNetpbm() throws {
        let workspace = try TemporaryDirectory("netpbm-scan")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let variants = try Self.colourVariants().merging(try Self.greyVariants()) { first, _ in first }
        for (name, bytes) in variants { try Data(bytes).write(to: evidence.appendingPathComponent(name)) }
        let whole = try #require(variants["p6.ppm"])
        try Data(whole.prefix(whole.count / 2)).write(to: evidence.appendingPathComponent("cut.ppm"))
        let out = workspace.child("out")
        let scan = try ProcessRunner.blindfold(["scan", evidence.path, "--out", out.path])
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        let manifest = try ParsedManifest(directory: out)
        let reference = try ImageDecoderTests.decode(Self.pattern).get()
        for name in variants.keys {
            let item = try #require(manifest.item(name))
            #expect((item.string("mime") ?? "").hasPrefix("image/x-portable-"), "\(name): \(item.string("mime") ?? "")")
            #expect(item.object("hashes")?.string("pdq") != nil, "\(name) has no PDQ")
        }
        let p6 = manifest.item("p6.ppm")?.object("hashes")?.string("pdq")
        #expect(p6 == PDQHasher.hash(reference).hash.hex)
        #expect(manifest.item("cut.ppm")?.object("plugin_errors")?.string("pdq")?.hasPrefix("truncated") == true)
    }

    /// A little-endian, one-strip, uncompressed 16-bit BlackIsZero TIFF.
    static func grey16TIFF(width: Int, height: Int, value: (Int, Int) -> UInt16) -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let sample = value(x, y)
                pixels += [UInt8(sample & 0xFF), UInt8(sample >> 8)]
            }
        }
        let entries: [(UInt16, UInt16, UInt32)] = [
            (256, 3, UInt32(width)), (257, 3, UInt32(height)), (258, 3, 16), (259, 3, 1), (262, 3, 1),
            (273, 4, UInt32(8 + 2 + 12 * 9 + 4)), (277, 3, 1), (278, 3, UInt32(height)), (279, 4, UInt32(pixels.count)),
        ]
        var out: [UInt8] = Array("II".utf8) + [42, 0, 8, 0, 0, 0]
        out += [UInt8(entries.count), 0]
        for (tag, kind, value) in entries {
            out += [UInt8(tag & 0xFF), UInt8(tag >> 8), UInt8(kind), 0, 1, 0, 0, 0]
            out += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        }
        out += [0, 0, 0, 0]
        return out + pixels
    }
}
