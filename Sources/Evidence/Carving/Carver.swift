import BlindfoldCore

/// One item found in unallocated space.
public struct CarvedItem: Sendable, Hashable {
    /// Where it lies: offset, length (when known) and the space it came from.
    public var offset: Int64
    /// Its length in bytes; nil for an item too large to carve whose structure does not
    /// declare its length.
    public var length: Int64?
    /// Its extension: `jpg`, `png`, `gif`, `bmp`, `webp`, `mp4` or `mov`.
    public var ext: String
    /// The space it came from.
    public var origin: CarvedOrigin
    /// The cap it exceeds when it is too large to carve (nil when it is carved).
    public var exceededCap: Int64?
}

/// Finds pictures and videos in a disk image's unallocated regions.
///
/// The regions are searched in order of their offsets, in windows of ``searchWindow`` bytes,
/// at every multiple of ``CarvingOptions/alignment`` from the image's start. At each
/// candidate whose first bytes carry a signature, the format's walker follows its structure
/// to its end; a whole item is returned and the search goes on after it, so overlapping
/// candidates are settled the same way every time: the first (lowest) offset wins and
/// nothing inside a carved item is a candidate again. A candidate whose structure breaks, or
/// is cut by the region's end, yields nothing, and the search goes on at the next sector.
///
/// Memory is the two windows whatever the regions' sizes. Not `Sendable`: one disk image
/// reader owns it.
public final class Carver {
    /// Bytes a signature check looks at.
    static let headBytes = 16
    /// The search window.
    static let searchWindow = 1 << 20
    /// The window walkers read through.
    static let walkWindow = 256 << 10

    private static let walkers: [any CarvingWalker] = [
        JPEGWalker(), PNGWalker(), GIFWalker(), BMPWalker(), WebPWalker(), MP4Walker(),
    ]

    private let regions: [CarvingRegion]
    private let options: CarvingOptions
    private let search: RegionReader
    private let walk: RegionReader
    private var regionIndex = 0
    private var position: Int64 = 0
    private var sinceStopCheck: Int64 = 0

    /// A carver over `input`'s `regions` (sorted here by offset).
    public init(input: any RandomAccessInput, regions: [CarvingRegion], options: CarvingOptions) {
        self.regions = regions.filter { $0.length > 0 }.sorted { $0.offset < $1.offset }
        self.options = options
        self.search = RegionReader(input: input, capacity: Self.searchWindow)
        self.walk = RegionReader(input: input, capacity: Self.walkWindow)
        self.position = self.regions.first.map { Self.aligned($0.offset) } ?? 0
        if let first = self.regions.first { search.limit(to: first.end) }
    }

    /// The largest single read asked of the input, and the bytes the search read (the tests
    /// check that carving stays streamed and reads the space once).
    public var largestRead: Int { max(search.largestRead, walk.largestRead) }
    /// The bytes the search read, not counting what walkers read to follow a structure.
    public var searchBytesRead: Int64 { search.bytesRead }

    /// The next item, or nil when every region has been searched.
    ///
    /// - Throws: the input's read error, or `skipped` when ``CarvingOptions/shouldStop`` says so.
    public func next() throws(ItemReadError) -> CarvedItem? {
        while regionIndex < regions.count {
            let region = regions[regionIndex]
            while position + Int64(Self.headBytes) <= region.end {
                try checkStop()
                let head = try search.bytes(at: position, minimum: Self.headBytes)
                if head.count >= Self.headBytes, let item = try examine(head, in: region) {
                    return item
                }
                position += CarvingOptions.alignment
                sinceStopCheck += CarvingOptions.alignment
            }
            regionIndex += 1
            if regionIndex < regions.count {
                let next = regions[regionIndex]
                position = max(position, Self.aligned(next.offset))
                search.limit(to: next.end)
            }
        }
        return nil
    }

    /// Walks every format whose signature `head` carries; the first whole (or too large)
    /// item wins, and the search moves past it.
    private func examine(_ head: UnsafeRawBufferPointer, in region: CarvingRegion) throws(ItemReadError) -> CarvedItem? {
        guard Self.mayStartItem(head) else { return nil }
        let start = position
        for walker in Self.walkers where walker.recognises(head) {
            let cap = walker.isVideo ? options.maxVideoBytes : options.maxItemBytes
            walk.limit(to: region.end)
            let result = try walker.walk(WalkBounds(start: start, regionEnd: region.end, cap: cap), reader: walk)
            switch result {
            case .nothing:
                continue
            case .item(let length, let ext):
                position = Self.aligned(start + length)
                return CarvedItem(offset: start, length: length, ext: ext, origin: region.origin, exceededCap: nil)
            case .tooLarge(let length, let ext):
                position = length.map { Self.aligned(start + $0) } ?? start + CarvingOptions.alignment
                return CarvedItem(offset: start, length: length, ext: ext, origin: region.origin, exceededCap: cap)
            }
        }
        return nil
    }

    /// A first byte or a box type some format starts with: most sectors (zeros, noise, text)
    /// are passed over with these few comparisons, before any walker is asked.
    private static func mayStartItem(_ head: UnsafeRawBufferPointer) -> Bool {
        switch head[0] {
        case 0xFF, 0x89, UInt8(ascii: "G"), UInt8(ascii: "B"), UInt8(ascii: "R"): return true
        default: return head[4] == UInt8(ascii: "f") && head[5] == UInt8(ascii: "t")
        }
    }

    private func checkStop() throws(ItemReadError) {
        guard sinceStopCheck >= Int64(Self.searchWindow) else { return }
        sinceStopCheck = 0
        if options.shouldStop() {
            throw ItemReadError(
                status: .skipped,
                reason: "carving stopped before the end of the unallocated space (the scan was interrupted or its time budget ran out)")
        }
    }

    /// `offset` rounded up to the next multiple of the alignment.
    static func aligned(_ offset: Int64) -> Int64 {
        let step = CarvingOptions.alignment
        return (offset + step - 1) / step * step
    }
}
