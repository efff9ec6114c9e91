import BlindfoldCore
import Evidence
import Foundation
import Testing

/// The carving engine over bytes in memory: each format's end found by walking its
/// structure, exact lengths, overlapping and hostile candidates, and a search that stays
/// streamed. Expected offsets and lengths are where the test put the samples and how long
/// the sample files are; carved bytes are compared with the samples byte for byte.
@Suite("Carving engine")
struct CarvingEngineTests {
    static let origin = CarvedOrigin(space: .unpartitioned, partition: nil, regionOffset: 0, fileSystem: nil)

    /// Every item the carver finds in `bytes` (one region over all of them unless `regions`).
    static func carve(
        _ bytes: [UInt8], regions: [CarvingRegion]? = nil, options: CarvingOptions = CarvingOptions()
    ) throws -> [CarvedItem] {
        try bytes.withUnsafeBytes { memory in
            let whole = [CarvingRegion(offset: 0, length: Int64(memory.count), origin: origin)]
            let carver = Carver(input: MemoryRandomAccess(memory), regions: regions ?? whole, options: options)
            var items: [CarvedItem] = []
            while let item = try carver.next() { items.append(item) }
            return items
        }
    }

    /// Each hostile sample, alone at a sector start in noise, gives nothing.
    static func expectNothingCarved(_ samples: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (index, sample) in samples.enumerated() {
            var layout = SectorLayout(seed: 50 + UInt64(index))
            layout.place(sample)
            layout.pad(4096)
            #expect(try carve(layout.bytes).isEmpty, "sample \(index)", sourceLocation: sourceLocation)
        }
    }

    /// (offset, length, extension) of each item.
    static func summary(_ items: [CarvedItem]) -> [String] {
        items.map { "\($0.offset)+\($0.length.map(String.init) ?? "?").\($0.ext)" }
    }

    @Test("JPEG, PNG, GIF, BMP, WebP, MP4 and MOV at sector starts in noise: each carved whole, with its exact length")
    func everyFormat() throws {
        let workspace = try TemporaryDirectory("bf-carve-formats")
        defer { workspace.remove() }
        var samples: [(ext: String, bytes: [UInt8])] = [
            ("jpg", try CarvingSamples.jpeg()), ("png", try CarvingSamples.png()), ("gif", try CarvingSamples.gif()),
            ("bmp", try CarvingSamples.bmp()), ("webp", try CarvingSamples.webp()),
            ("jpg", try CarvingSamples.jpegWithThumbnail()),
        ]
        if SyntheticVideo.ffmpegAvailable {
            samples.append(("mp4", try CarvingSamples.video("clip.mp4", in: workspace.url)))
            samples.append(("mov", try CarvingSamples.video("clip.mov", in: workspace.url)))
        }
        // The thumbnail's EOI comes long before the outer JPEG's: a footer search would stop there.
        let thumbnailed = try CarvingSamples.jpegWithThumbnail()
        let firstEOI = try #require(CarvingSamples.offset(of: [0xFF, 0xD9], in: Data(thumbnailed)))
        #expect(firstEOI + 2 < thumbnailed.count - 1000)
        var layout = SectorLayout(seed: 1)
        var expected: [String] = []
        for sample in samples {
            let offset = layout.place(sample.bytes, after: 700)
            expected.append("\(offset)+\(sample.bytes.count).\(sample.ext)")
        }
        layout.pad(3000)
        let items = try Self.carve(layout.bytes)
        #expect(Self.summary(items) == expected)
        for (item, sample) in zip(items, samples) {
            let start = Int(item.offset)
            #expect(Array(layout.bytes[start..<start + sample.bytes.count]) == sample.bytes, "\(item.ext) at \(start)")
            #expect(item.exceededCap == nil)
        }
    }

    @Test("JPEG with restart markers, and a progressive JPEG of several scans: carved to their EOI")
    func jpegVariants() throws {
        let workspace = try TemporaryDirectory("bf-carve-jpeg")
        defer { workspace.remove() }
        let restart = try CarvingSamples.reencodedJPEG("-restart 1 -quality 90", in: workspace.url)
        let progressive = try CarvingSamples.reencodedJPEG("-progressive", in: workspace.url)
        #expect(CarvingSamples.hasRestartMarker(restart), "cjpeg -restart wrote no restart marker")
        #expect(progressive.indices.dropLast().filter { progressive[$0] == 0xFF && progressive[$0 + 1] == 0xDA }.count > 1)
        var layout = SectorLayout(seed: 2)
        let first = layout.place(restart)
        let second = layout.place(progressive)
        layout.pad(1000)
        #expect(Self.summary(try Self.carve(layout.bytes)) == ["\(first)+\(restart.count).jpg", "\(second)+\(progressive.count).jpg"])
    }

    @Test("Cut by the region's end: a JPEG, a PNG, a GIF and an MP4 box running past it give nothing")
    func truncatedAtRegionEnd() throws {
        let workspace = try TemporaryDirectory("bf-carve-cut")
        defer { workspace.remove() }
        var samples = [try CarvingSamples.jpeg(), try CarvingSamples.png(), try CarvingSamples.gif()]
        if SyntheticVideo.ffmpegAvailable { samples.append(try CarvingSamples.video("cut.mp4", in: workspace.url)) }
        for sample in samples {
            var layout = SectorLayout(seed: 3)
            let offset = layout.place(sample)
            layout.pad(2048)
            // The whole sample is carved; with the region ending inside it, nothing is.
            let whole = try Self.carve(layout.bytes)
            #expect(whole.map(\.offset) == [Int64(offset)] && whole.map(\.length) == [Int64(sample.count)])
            let cut = CarvingRegion(offset: 0, length: Int64(offset + sample.count - 1), origin: Self.origin)
            #expect(try Self.carve(layout.bytes, regions: [cut]).isEmpty, "cut sample of \(sample.count) bytes")
        }
    }

    @Test("A PNG with a bad CRC is not carved; the search goes on and finds the next picture")
    func badCRC() throws {
        var damaged = try CarvingSamples.png()
        damaged[damaged.count / 2] ^= 0x01
        let good = try CarvingSamples.smallPNG()
        var layout = SectorLayout(seed: 4)
        layout.place(damaged)
        let offset = layout.place(good)
        layout.pad(600)
        #expect(Self.summary(try Self.carve(layout.bytes)) == ["\(offset)+\(good.count).png"])
    }

    @Test("MP4 boxes whose size points past the region, 32-bit or 64-bit: nothing carved",
          .enabled(if: SyntheticVideo.ffmpegAvailable, "ffmpeg is not installed"))
    func boxPastRegion() throws {
        let workspace = try TemporaryDirectory("bf-carve-box")
        defer { workspace.remove() }
        let video = try CarvingSamples.video("box.mp4", in: workspace.url)
        let mdat = try #require(CarvingSamples.offset(of: Array("mdat".utf8), in: Data(video))) - 4
        var wide = video
        wide.replaceSubrange(mdat..<mdat + 4, with: [0x7F, 0xFF, 0xFF, 0xF0])
        var large = video
        // size 1: a 64-bit size follows the type (it overwrites the first 8 data bytes).
        large.replaceSubrange(mdat..<mdat + 4, with: [0, 0, 0, 1])
        large.replaceSubrange(mdat + 8..<mdat + 16, with: [0, 0, 0x10, 0, 0, 0, 0, 0])
        try Self.expectNothingCarved([wide, large])
    }

    @Test("Over the cap: recorded with its declared length and the cap, not read; the search resumes after it")
    func sizeCap() throws {
        let bmp = try CarvingSamples.bmp()
        let png = try CarvingSamples.smallPNG()
        var layout = SectorLayout(seed: 6)
        let big = layout.place(bmp)
        let small = layout.place(png)
        layout.pad(600)
        let items = try Self.carve(layout.bytes, options: CarvingOptions(maxItemBytes: 4096))
        #expect(Self.summary(items) == ["\(big)+\(bmp.count).bmp", "\(small)+\(png.count).png"])
        #expect(items.first?.exceededCap == 4096)
        #expect(items.last?.exceededCap == nil)
        // A JPEG declares no length: past the cap, its length is unknown.
        var jpegLayout = SectorLayout(seed: 7)
        let jpegOffset = jpegLayout.place(try CarvingSamples.jpeg())
        jpegLayout.pad(600)
        let jpeg = try Self.carve(jpegLayout.bytes, options: CarvingOptions(maxItemBytes: 1024))
        #expect(Self.summary(jpeg) == ["\(jpegOffset)+?.jpg"])
    }

    @Test("A huge declared size: a BMP and a WebP claiming more than the region hold are not carved")
    func hugeDeclaredSize() throws {
        var bmp = try CarvingSamples.bmp()
        bmp.replaceSubrange(2..<6, with: [0x00, 0x00, 0x00, 0x40])  // 1 GiB
        var webp = try CarvingSamples.webp()
        webp.replaceSubrange(4..<8, with: [0xF0, 0xFF, 0xFF, 0x7F])
        try Self.expectNothingCarved([bmp, webp])
    }

    @Test("Overlapping candidates: a PNG inside a BMP's pixels is not carved apart; with the BMP's header broken it is")
    func overlapping() throws {
        var bmp = try CarvingSamples.bmp()
        let png = try CarvingSamples.smallPNG()
        var layout = SectorLayout(seed: 9)
        let offset = layout.place(Array(repeating: 0, count: 0))
        // The PNG sits 1024 bytes into the BMP: a sector start inside its pixel array.
        bmp.replaceSubrange(1024..<1024 + png.count, with: png)
        var whole = layout
        whole.place(bmp, after: 0)
        whole.pad(600)
        #expect(Self.summary(try Self.carve(whole.bytes)) == ["\(offset)+\(bmp.count).bmp"])
        bmp[26] = 2  // planes: a BMP has one
        var broken = layout
        broken.place(bmp, after: 0)
        broken.pad(600)
        #expect(Self.summary(try Self.carve(broken.bytes)) == ["\(offset + 1024)+\(png.count).png"])
    }

    @Test("Mutated pictures (bytes flipped, lengths and sizes rewritten): no crash, every item inside its region")
    func mutations() throws {
        let samples = [
            try CarvingSamples.jpeg(), try CarvingSamples.png(), try CarvingSamples.gif(), try CarvingSamples.bmp(),
            try CarvingSamples.webp(),
        ]
        var generator = SeededBytes(seed: 11)
        for sample in samples {
            for _ in 0..<300 {
                var mutated = sample
                for random in generator.next(4).map(Int.init) {
                    let position = (random * 131 + Int(generator.next(1)[0])) % mutated.count
                    mutated[position] = generator.next(1)[0]
                }
                let cut = Int(generator.next(1)[0]) % 4 == 0 ? Int(generator.next(1)[0]) : 0
                var layout = SectorLayout(seed: 12)
                layout.place(Array(mutated.dropLast(cut)))
                let end = layout.bytes.count + 100
                layout.pad(100)
                for item in try Self.carve(layout.bytes) {
                    #expect(item.offset >= 0 && item.offset + (item.length ?? 0) <= Int64(end))
                }
            }
        }
    }

    @Test("Random noise: nothing is carved")
    func noise() throws {
        var generator = SeededBytes(seed: 10)
        #expect(try Self.carve(generator.next(8 << 20)).isEmpty)
    }

    @Test("A 1 GiB region is searched through 1 MiB windows, each byte read once; the time is measured")
    func streamed() throws {
        let jpeg = try CarvingSamples.jpeg()
        let size: Int64 = 1 << 30
        let planted = size - (3 << 20)
        let input = SyntheticDisk(size: size, planted: [(planted, jpeg)])
        let carver = Carver(
            input: input, regions: [CarvingRegion(offset: 0, length: size, origin: Self.origin)], options: CarvingOptions())
        let clock = ContinuousClock()
        var items: [CarvedItem] = []
        let elapsed = try clock.measure {
            while let item = try carver.next() { items.append(item) }
        }
        #expect(Self.summary(items) == ["\(planted)+\(jpeg.count).jpg"])
        #expect(carver.largestRead <= 1 << 20)
        #expect(input.largestRead <= 1 << 20)
        #expect(carver.searchBytesRead == size)
        print("carving engine: 1 GiB region searched in \(elapsed)")
    }

    @Test("Carving stops when asked to (an interruption, a triage budget), with a reason")
    func stops() throws {
        let bytes = [UInt8](repeating: 0, count: 4 << 20)
        #expect(throws: ItemReadError.self) {
            _ = try Self.carve(bytes, options: CarvingOptions(shouldStop: { true }))
        }
        #expect(try Self.carve(bytes, options: CarvingOptions(shouldStop: { false })).isEmpty)
    }
}

/// A disk of zeros with samples planted at given offsets, made on the fly: no memory for its
/// size, and it records the largest read asked of it.
final class SyntheticDisk: RandomAccessInput {
    let size: Int64
    private let planted: [(offset: Int64, bytes: [UInt8])]
    private(set) var largestRead = 0

    init(size: Int64, planted: [(Int64, [UInt8])]) {
        self.size = size
        self.planted = planted.map { (offset: $0.0, bytes: $0.1) }
    }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard offset < size else { return 0 }
        let count = Int(min(Int64(buffer.count), size - offset))
        largestRead = max(largestRead, count)
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
        target.initializeMemory(as: UInt8.self, repeating: 0)
        for sample in planted {
            let start = max(offset, sample.offset)
            let end = min(offset + Int64(count), sample.offset + Int64(sample.bytes.count))
            guard start < end else { continue }
            for position in start..<end {
                target[Int(position - offset)] = sample.bytes[Int(position - sample.offset)]
            }
        }
        return count
    }
}
