import Foundation

/// Pictures and videos to hide in unallocated space: the repository's synthetic fixture
/// pictures (made by Fixtures/generate.py), variants cjpeg writes at test time, and videos
/// ffmpeg generates at test time.
enum CarvingSamples {
    /// A fixture file's bytes, by its path under `Fixtures/evidence/`.
    static func fixture(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestEnvironment.evidence.appendingPathComponent(relative)))
    }

    static func jpeg() throws -> [UInt8] { try fixture("DCIM/100CAMERA/IMG_0001.jpg") }
    static func png() throws -> [UInt8] { try fixture("DCIM/100CAMERA/sunset.png") }
    static func smallPNG() throws -> [UInt8] { try fixture("Pictures/icons/badge.png") }
    static func gif() throws -> [UInt8] { try fixture("Pictures/logo.gif") }
    static func bmp() throws -> [UInt8] { try fixture("Pictures/scan.bmp") }
    static func webp() throws -> [UInt8] { try fixture("Pictures/web/banner.webp") }

    /// A one-second synthetic video in the container the name's extension picks (`.mp4`, `.mov`).
    static func video(_ name: String, in directory: URL) throws -> [UInt8] {
        let video = SyntheticVideo(
            source: "testsrc2=size=64x48:rate=10", seconds: 1, codec: ["-c:v", "libx264", "-pix_fmt", "yuv420p"], name: name)
        return Array(try Data(contentsOf: try video.make(in: directory)))
    }

    /// The fixture JPEG re-encoded by cjpeg with `options` (`-restart 1`, `-progressive`).
    static func reencodedJPEG(_ options: String, in directory: URL) throws -> [UInt8] {
        let source = TestEnvironment.evidence.appendingPathComponent("DCIM/100CAMERA/IMG_0001.jpg").path
        let output = directory.appendingPathComponent("reencoded-\(UUID().uuidString).jpg")
        try ArchiveTests.shell("djpeg -pnm '\(source)' | cjpeg \(options) -outfile '\(output.path)'")
        return Array(try Data(contentsOf: output))
    }

    /// A JPEG whose APP1 segment holds a whole second JPEG (as EXIF holds a thumbnail): a
    /// footer search would end the item at the inner EOI.
    static func jpegWithThumbnail() throws -> [UInt8] {
        let outer = try fixture("DCIM/100CAMERA/IMG_0002.jpg")
        let inner = try jpeg()
        let length = inner.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + inner + outer.dropFirst(2)
    }

    /// Whether `bytes` hold a restart marker (`FF D0`-`FF D7`).
    static func hasRestartMarker(_ bytes: [UInt8]) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == 0xFF && (0xD0...0xD7).contains($1) }
    }

    /// Where `needle` first occurs in `haystack` (the tests' oracle for offsets in an image).
    static func offset(of needle: [UInt8], in haystack: Data) -> Int? {
        haystack.range(of: Data(needle)).map { $0.lowerBound }
    }
}

/// Bytes laid out sector by sector: noise, then samples at sector starts.
struct SectorLayout {
    private(set) var bytes: [UInt8] = []
    private var noise: SeededBytes

    init(seed: UInt64) { noise = SeededBytes(seed: seed) }

    /// Noise up to the next sector start at or after `minimum` bytes from here, then
    /// `sample`; returns the sample's offset.
    @discardableResult
    mutating func place(_ sample: [UInt8], after minimum: Int = 512) -> Int {
        let offset = (bytes.count + minimum + 511) / 512 * 512
        bytes += noise.next(offset - bytes.count)
        bytes += sample
        return offset
    }

    /// Noise to `count` more bytes.
    mutating func pad(_ count: Int) { bytes += noise.next(count) }
}
