import BlindfoldCore

/// MP4 and QuickTime: top-level boxes by their sizes (64-bit `largesize` included) from an
/// `ftyp` box. The walk stops at the first implausible box (an unknown type or a size smaller
/// than its header) and the item is the boxes before it, which must include a `moov`. A known
/// box that runs past the region, or whose size 0 means "to the end of the file", is a cut
/// video: nothing is carved. The `ftyp` brand `qt  ` makes it `.mov`, any other `.mp4`.
struct MP4Walker: CarvingWalker {
    private static let topLevel: Set<[UInt8]> = Set([
        "ftyp", "moov", "mdat", "free", "skip", "wide", "uuid", "pdin", "moof", "mfra", "meta", "styp", "sidx",
        "ssix", "prft", "emsg", "pnot", "junk",
    ].map { Array($0.utf8) })
    private static let movie = Array("moov".utf8)
    /// Boxes walked at most: a chain of tiny boxes is not a video.
    private static let maximumBoxes = 100_000

    /// What stands at a position of the walk.
    private enum Box {
        case box(type: [UInt8], end: Int64)
        /// Not a top-level box: the item ends before it.
        case implausible
        /// A top-level box whose end is not in the region.
        case cut
    }

    var isVideo: Bool { true }

    func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.has(Array("ftyp".utf8), at: 4) else { return false }
        let size = head.bigEndian(at: 0, width: 4)
        return size >= 16 && size <= 4096
    }

    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult {
        let brand = try reader.bytes(at: bounds.start + 8, minimum: 4)
        let ext = brand.has(Array("qt  ".utf8)) ? "mov" : "mp4"
        var position = bounds.start
        var sawMovie = false
        walking: for _ in 0..<Self.maximumBoxes {
            switch try box(at: position, bounds, reader) {
            case .box(let type, let end):
                if type == Self.movie { sawMovie = true }
                position = end
            case .implausible: break walking
            case .cut: return .nothing
            }
        }
        guard sawMovie else { return .nothing }
        return bounds.check(position, ext: ext, declared: true) ?? .item(length: position - bounds.start, ext: ext)
    }

    private func box(at position: Int64, _ bounds: WalkBounds, _ reader: RegionReader) throws(ItemReadError) -> Box {
        let header = try reader.bytes(at: position, minimum: 16)
        guard header.count >= 8 else { return .implausible }
        let type = Array(header[4..<8])
        guard Self.topLevel.contains(type) else { return .implausible }
        var size = header.bigEndian(at: 0, width: 4)
        var headerBytes: UInt64 = 8
        if size == 1 {
            guard header.count >= 16 else { return .cut }
            size = header.bigEndian(at: 8, width: 8)
            headerBytes = 16
        }
        if size == 0 { return .cut }
        guard size >= headerBytes else { return .implausible }
        guard size <= UInt64(bounds.regionEnd - position) else { return .cut }
        return .box(type: type, end: position + Int64(size))
    }
}
