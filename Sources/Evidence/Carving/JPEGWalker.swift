#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore

/// JPEG: SOI, then marker segments by their lengths; after each SOS the entropy-coded data
/// (stuffed `FF 00` and restart markers `FF D0`-`FF D7` are data) up to the next marker, until
/// EOI. An item needs a frame header before its first scan, and a scan before its EOI.
struct JPEGWalker: CarvingWalker {
    var isVideo: Bool { false }

    func recognises(_ head: UnsafeRawBufferPointer) -> Bool {
        // SOI, then the first segment's marker: APPn, DQT, DHT, SOFn, DRI or COM.
        guard head.has([0xFF, 0xD8, 0xFF]) else { return false }
        let marker = head[3]
        return (0xE0...0xEF).contains(marker) || (0xC0...0xCF).contains(marker) || [0xDB, 0xDD, 0xFE].contains(marker)
    }

    func walk(_ bounds: WalkBounds, reader: RegionReader) throws(ItemReadError) -> WalkResult {
        var position = bounds.start + 2
        var sawFrame = false
        var sawScan = false
        while true {
            if let verdict = bounds.check(position + 2, ext: "jpg", declared: false) { return verdict }
            guard try reader.byte(at: position) == 0xFF, var marker = try reader.byte(at: position + 1) else { return .nothing }
            // Fill bytes: any number of FF before the marker code.
            while marker == 0xFF {
                position += 1
                if let verdict = bounds.check(position + 2, ext: "jpg", declared: false) { return verdict }
                guard let next = try reader.byte(at: position + 1) else { return .nothing }
                marker = next
            }
            position += 2
            switch marker {
            case 0xD9:
                return sawScan ? .item(length: position - bounds.start, ext: "jpg") : .nothing
            case 0x01, 0xD0...0xD7:
                continue  // TEM and stray restart markers carry no length
            case 0x00, 0x02...0xBF, 0xD8:
                return .nothing  // not a marker, reserved, or a second SOI
            default:
                break
            }
            guard let length = try reader.integer(at: position, count: 2, bigEndian: true), length >= 2 else { return .nothing }
            let segmentEnd = position + Int64(length)
            if let verdict = bounds.check(segmentEnd, ext: "jpg", declared: false) { return verdict }
            if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) { sawFrame = true }
            position = segmentEnd
            if marker == 0xDA {
                guard sawFrame else { return .nothing }
                sawScan = true
                if let verdict = try skipEntropyCodedData(&position, bounds, reader) { return verdict }
            }
        }
    }

    /// Moves `position` past a scan's entropy-coded data to the marker that ends it; the
    /// walk's verdict instead when the region or the cap ends first.
    private func skipEntropyCodedData(
        _ position: inout Int64, _ bounds: WalkBounds, _ reader: RegionReader
    ) throws(ItemReadError) -> WalkResult? {
        while true {
            let view = try reader.bytes(at: position, minimum: 2)
            if view.isEmpty { return bounds.check(position + 1, ext: "jpg", declared: false) ?? WalkResult.nothing }
            guard let base = view.baseAddress, let found = memchr(base, 0xFF, view.count) else {
                position += Int64(view.count)
                if let verdict = bounds.check(position, ext: "jpg", declared: false) { return verdict }
                continue
            }
            position += Int64(base.distance(to: UnsafeRawPointer(found)))
            if let verdict = bounds.check(position + 2, ext: "jpg", declared: false) { return verdict }
            guard let next = try reader.byte(at: position + 1) else { return WalkResult.nothing }
            switch next {
            case 0x00, 0xD0...0xD7: position += 2  // stuffed FF, restart marker: still data
            case 0xFF: position += 1  // fill byte before a marker
            default: return nil
            }
        }
    }
}
