import BlindfoldCore
import Evidence

/// The carving engine over an in-memory region, driven as a disk image's reader drives it:
/// every carved item, and every carved item's data.
enum CarvingTarget {
    /// Items carved per input before the walk stops (the scanner's `entries_per_archive`).
    static let itemLimit = 100_000

    /// The `carving` target.
    static let target = FuzzTarget(
        name: "carving", summary: "CarvedMembers over one region: next() and readData(into:) over every carved item"
    ) { bytes in
        carve(bytes)
    }

    private static func carve(_ bytes: UnsafeRawBufferPointer) {
        let origin = CarvedOrigin(space: .unpartitioned, partition: nil, regionOffset: 0, fileSystem: nil)
        let members = CarvedMembers(
            input: MemoryRandomAccess(bytes), regions: [CarvingRegion(offset: 0, length: Int64(bytes.count), origin: origin)],
            options: CarvingOptions())
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        for _ in 0..<itemLimit {
            guard case .entry = members.next() else { return }
            while let count = try? members.readData(into: buffer), count > 0 {}
        }
    }
}
