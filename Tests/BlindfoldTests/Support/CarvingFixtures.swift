import Foundation
import Testing

/// Disk images with pictures and videos in their unallocated space, built at test time: files
/// written with mtools or `mkfs.ext4 -d`, deleted with `mdel` or `debugfs`, and raw bytes put
/// with `dd` where no partition or file system is. Each image says where the test put what.
enum CarvingFixtures {
    /// A sample and where it lies in the image (found by searching the image for its bytes).
    struct Placed {
        var name: String
        var ext: String
        var bytes: [UInt8]
        var offset: Int
    }

    /// What an image holds.
    struct Image {
        var url: URL
        /// Pictures and videos whose data lies in unallocated space: the ones to be carved.
        var carvable: [Placed]
        /// Offsets where something that must not be carved starts (allocated files, a cut
        /// JPEG, a PNG with a bad CRC).
        var notCarved: [Int]
    }

    /// The FAT32 partition's first sector and its length in sectors.
    static let fatStart = 2048
    static let fatSectors = 77_824
    /// The second partition (type 0x83, no file system) and the image's size in sectors.
    static let rawStart = fatStart + fatSectors
    static let rawSectors = 8192
    static let imageSectors = 98_304

    /// A 48 MiB image with a DOS table: partition 1 FAT32 from sector 2048 holding a text file,
    /// four pictures and a video that are then deleted, and a PNG that stays allocated;
    /// partition 2 without a file system holding a PNG named .jpg; space before partition 1 holding a
    /// PNG and, cut by the partition's start, the first kilobyte of a JPEG; space after
    /// partition 2 holding a PNG with a bad CRC.
    static func fat(in directory: URL) throws -> Image {
        let tree = directory.appendingPathComponent("fat-tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        var deleted: [(name: String, ext: String, bytes: [UInt8])] = [
            ("IMG_0001.jpg", "jpg", try CarvingSamples.jpeg()), ("logo.gif", "gif", try CarvingSamples.gif()),
            ("scan.bmp", "bmp", try CarvingSamples.bmp()), ("banner.webp", "webp", try CarvingSamples.webp()),
        ]
        if SyntheticVideo.ffmpegAvailable {
            deleted.append(("clip.mp4", "mp4", try CarvingSamples.video("clip.mp4", in: directory)))
        }
        let kept = try CarvingSamples.png()
        for file in deleted { try Data(file.bytes).write(to: tree.appendingPathComponent(file.name)) }
        try Data(kept).write(to: tree.appendingPathComponent("sunset.png"))
        try Data("a text file that stays\n".utf8).write(to: tree.appendingPathComponent("keep.txt"))

        let image = directory.appendingPathComponent("carve.dd")
        try Data(mbr([(0x0C, fatStart, fatSectors), (0x83, rawStart, rawSectors)])).write(to: image)
        try shell("truncate -s \(imageSectors * 512) '\(image.path)'")
        try shell("mkfs.vfat --offset \(fatStart) -F 32 -s 1 -i 0B5E55ED --invariant '\(image.path)' \(fatSectors / 2) >/dev/null")
        let at = "'\(image.path)'@@\(fatStart * 512)"
        // The text file first: a triage lists the image's media before it, a scan does not.
        let names = (["keep.txt"] + deleted.map(\.name) + ["sunset.png"]).map { "'\($0)'" }.joined(separator: " ")
        try shell("cd '\(tree.path)' && MTOOLS_SKIP_CHECK=1 mcopy -m -i \(at) \(names) ::/")
        for file in deleted { try shell("MTOOLS_SKIP_CHECK=1 mdel -i \(at) '::/\(file.name)'") }

        // Raw bytes where no partition is, and in the partition without a file system.
        let badge = try CarvingSamples.smallPNG()
        try put(badge, at: 64 * 512, in: image)
        let cut = Array(try CarvingSamples.fixture("DCIM/100CAMERA/IMG_0002.jpg").prefix(1024))
        try put(cut, at: fatStart * 512 - cut.count, in: image)
        let holiday = try CarvingSamples.fixture("DCIM/100CAMERA/holiday.jpg")
        try put(holiday, at: (rawStart + 8) * 512, in: image)
        var damaged = try CarvingSamples.png()
        damaged[damaged.count / 2] ^= 0x01
        try put(damaged, at: (rawStart + rawSectors + 16) * 512, in: image)

        let data = try Data(contentsOf: image)
        var carvable: [Placed] = []
        // holiday.jpg is a PNG under a lying name (Fixtures/generate.py): carved by content, as .png.
        for file in deleted + [("badge.png", "png", badge), ("holiday.jpg", "png", holiday)] {
            let offset = try #require(CarvingSamples.offset(of: file.bytes, in: data), "\(file.name) is not in the image")
            carvable.append(Placed(name: file.name, ext: file.ext, bytes: file.bytes, offset: offset))
        }
        let keptOffset = try #require(CarvingSamples.offset(of: kept, in: data))
        return Image(
            url: image, carvable: carvable,
            notCarved: [keptOffset, fatStart * 512 - cut.count, (rawStart + rawSectors + 16) * 512])
    }

    /// A 5 MiB image that is one 4 MiB ext4 file system (1 KiB blocks) holding a PNG and a
    /// JPEG, the JPEG then deleted with `debugfs`; a GIF is written past the file system.
    static func ext4(in directory: URL) throws -> (image: URL, deletedJPEG: [UInt8], png: [UInt8], gif: [UInt8]) {
        let tree = directory.appendingPathComponent("ext-tree")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        let jpeg = try CarvingSamples.jpeg()
        let png = try CarvingSamples.png()
        try Data(jpeg).write(to: tree.appendingPathComponent("gone.jpg"))
        try Data(png).write(to: tree.appendingPathComponent("kept.png"))
        let image = directory.appendingPathComponent("carve.ext4")
        try DiskImageFixtures.makeExt4(from: tree, at: image, uuidTail: "000000000015", options: "-b 1024")
        try shell("debugfs -w -R 'rm gone.jpg' '\(image.path)' 2>/dev/null")
        try shell("truncate -s \(5 << 20) '\(image.path)'")
        let gif = try CarvingSamples.gif()
        try put(gif, at: (4 << 20) + 4096, in: image)
        return (image, jpeg, png, gif)
    }

    /// A DOS partition table sector: (type, first sector, sectors) per entry.
    static func mbr(_ partitions: [(type: UInt8, start: Int, count: Int)]) -> [UInt8] {
        var sector = [UInt8](repeating: 0, count: 512)
        for (index, partition) in partitions.enumerated() {
            let entry = 446 + index * 16
            sector[entry + 4] = partition.type
            for byte in 0..<4 {
                sector[entry + 8 + byte] = UInt8(truncatingIfNeeded: partition.start >> (8 * byte))
                sector[entry + 12 + byte] = UInt8(truncatingIfNeeded: partition.count >> (8 * byte))
            }
        }
        sector[510] = 0x55
        sector[511] = 0xAA
        return sector
    }

    /// Writes `bytes` into `image` at `offset`, in place.
    static func put(_ bytes: [UInt8], at offset: Int, in image: URL) throws {
        let handle = try FileHandle(forWritingTo: image)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
    }

    @discardableResult
    static func shell(_ command: String) throws -> ProcessResult {
        try ArchiveTests.shell(command)
    }
}
