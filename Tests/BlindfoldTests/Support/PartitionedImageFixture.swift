import Foundation

/// A raw image with two FAT16 partitions, built at test time (a hand-written MBR, `mkfs.vfat
/// --offset`, `mcopy`), for the disk-image isolation tests: partition 1 holds `a1.bin`,
/// `b1.bin` and `z1.bin`, partition 2 `a2.bin` and `b2.bin`. The last 8 KiB of `z1.bin` may
/// repeat a fault marker: a worker with fault injection meets it only when it reads the end of
/// that file (TSK's 64 KiB read cache never reaches it from the files or metadata before it).
enum PartitionedImageFixture {
    static let firstSector = 2048
    static let partitionSectors = 32768
    static var imageBytes: Int { (firstSector + 2 * partitionSectors) * 512 }

    /// The files of each partition, in the order they are copied (and listed).
    static func files(marker: String?) -> [[(path: String, bytes: [UInt8])]] {
        var generator = SeededBytes(seed: 1405)
        var last = generator.next(300_000)
        if let marker {
            let repeated = Array(repeating: Array(marker.utf8), count: 8192 / marker.utf8.count + 1).flatMap { $0 }
            last.replaceSubrange(last.count - 8192..<last.count, with: repeated.prefix(8192))
        }
        return [
            [("a1.bin", generator.next(150_000)), ("b1.bin", generator.next(40_000)), ("z1.bin", last)],
            [("a2.bin", generator.next(120_000)), ("b2.bin", generator.next(10_000))],
        ]
    }

    /// Writes the image as `name` in `directory`.
    static func make(in directory: URL, name: String, marker: String?) throws -> URL {
        let image = directory.appendingPathComponent(name)
        var sector = [UInt8](repeating: 0, count: 512)
        for entry in 0..<2 {
            let base = 446 + entry * 16
            sector[base + 4] = 0x06  // FAT16
            let start = UInt32(firstSector + entry * partitionSectors)
            sector.replaceSubrange(base + 8..<base + 12, with: withUnsafeBytes(of: start.littleEndian, Array.init))
            sector.replaceSubrange(base + 12..<base + 16, with: withUnsafeBytes(of: UInt32(partitionSectors).littleEndian, Array.init))
        }
        sector[510] = 0x55
        sector[511] = 0xAA
        try Data(sector).write(to: image)
        try DiskImageFixtures.shell("truncate -s \(imageBytes) '\(image.path)'")
        for (index, files) in files(marker: marker).enumerated() {
            let tree = directory.appendingPathComponent("\(name)-tree\(index)")
            try DiskImageFixtures.writeTree(files, under: tree)
            let start = firstSector + index * partitionSectors
            try DiskImageFixtures.shell(
                "mkfs.vfat --offset \(start) -F 16 -i 0B5E55E\(index) --invariant '\(image.path)' \(partitionSectors / 2) >/dev/null")
            let names = files.map { "'\($0.path)'" }.joined(separator: " ")
            try DiskImageFixtures.shell(
                "cd '\(tree.path)' && MTOOLS_SKIP_CHECK=1 mcopy -m -i '\(image.path)'@@\(start * 512) \(names) ::/")
        }
        return image
    }
}
