import Foundation

/// Disk images built at test time from code: a hand-written MBR, `mkfs.vfat` and mtools for
/// FAT32, `mkfs.ext4 -d` and `debugfs` for ext4 (no mount, no root). Contents come from
/// ``SeededBytes`` and timestamps are fixed, so every build is the same.
enum DiskImageFixtures {
    /// The FAT32 partition's first sector in ``fat32InMBR(in:)``.
    static let fatStartSector = 2048
    /// The FAT32 image's size: FAT32 needs 65525 clusters, so 40 MiB at one sector a cluster.
    static let fatImageBytes = 40 << 20

    /// The files every image holds, by path inside the file system.
    static func files(seed: UInt64) -> [(path: String, bytes: [UInt8])] {
        var generator = SeededBytes(seed: seed)
        return [
            ("a.bin", generator.next(200_000)),
            ("DCIM/b.jpg", generator.next(3_000)),
            ("DCIM/c.bin", generator.next(1_500_000)),
            ("gone.bin", generator.next(50_000)),
        ]
    }

    /// Writes `files` under `directory` with a fixed modification time.
    static func writeTree(_ files: [(path: String, bytes: [UInt8])], under directory: URL) throws {
        for file in files {
            let url = directory.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
        try shell("find '\(directory.path)' -exec touch -h -d '2024-05-01 12:00:00Z' {} +")
    }

    /// A 40 MiB raw image: a DOS partition table with one FAT32 partition (type 0x0c) at
    /// sector 2048 to the end, holding ``files(seed:)``; `gone.bin` is then deleted with `mdel`
    /// (its clusters stay as they were, so its content is recoverable).
    static func fat32InMBR(in directory: URL, seed: UInt64 = 14) throws -> URL {
        let tree = directory.appendingPathComponent("fat-tree")
        try writeTree(files(seed: seed), under: tree)
        let image = directory.appendingPathComponent("disk.dd")
        var sector = [UInt8](repeating: 0, count: 512)
        let sectors = UInt32(fatImageBytes / 512 - fatStartSector)
        // Entry 0 at 446: status, CHS (unused), type 0x0c (FAT32 LBA), CHS, LBA start, count.
        sector[446 + 4] = 0x0C
        for (index, byte) in withUnsafeBytes(of: UInt32(fatStartSector).littleEndian, Array.init).enumerated() {
            sector[446 + 8 + index] = byte
        }
        for (index, byte) in withUnsafeBytes(of: sectors.littleEndian, Array.init).enumerated() {
            sector[446 + 12 + index] = byte
        }
        sector[510] = 0x55
        sector[511] = 0xAA
        try Data(sector).write(to: image)
        try shell("truncate -s \(fatImageBytes) '\(image.path)'")
        let at = "'\(image.path)'@@\(fatStartSector * 512)"
        try shell("mkfs.vfat --offset \(fatStartSector) -F 32 -s 1 -i 0B5E55ED --invariant '\(image.path)' \(sectors / 2) >/dev/null")
        try shell("cd '\(tree.path)' && MTOOLS_SKIP_CHECK=1 mcopy -m -s -i \(at) a.bin DCIM gone.bin ::/")
        try shell("MTOOLS_SKIP_CHECK=1 mdel -i \(at) ::/gone.bin")
        return image
    }

    /// A 4 MiB ext4 file system with no partition table, built with `mkfs.ext4 -d` from
    /// ``files(seed:)`` plus `old.bin` and a file whose name is not UTF-8 (`caf\xE9.bin`).
    /// `debugfs` then deletes `gone.bin` (its extents stay, so TSK recovers it), deletes
    /// `DCIM/old.bin` and writes a new root file that takes its inode, so the deleted name
    /// `DCIM/old.bin` points at metadata that now belongs to another file.
    static func ext4(in directory: URL, seed: UInt64 = 41) throws -> URL {
        let tree = directory.appendingPathComponent("ext-tree")
        var files = files(seed: seed)
        var generator = SeededBytes(seed: seed + 1)
        files.append(("DCIM/old.bin", generator.next(20_000)))
        try writeTree(files, under: tree)
        try Data(generator.next(7_000)).write(to: tree.appendingPathComponent("caf\u{E9}.bin"))
        try shell("mv '\(tree.path)/caf\u{E9}.bin' \"$(printf '\(tree.path)/caf\\351.bin')\"")
        let replacement = directory.appendingPathComponent("replacement.bin")
        try Data(generator.next(9_000)).write(to: replacement)
        let image = directory.appendingPathComponent("fs.ext4")
        try makeExt4(from: tree, at: image, uuidTail: "000000000014")
        // In this order: the new name goes where no deleted name is, so both deleted names stay.
        try shell("debugfs -w -R 'rm DCIM/old.bin' '\(image.path)' 2>/dev/null")
        try shell("debugfs -w -R 'write \(replacement.path) a-replacement-with-a-longer-name.bin' '\(image.path)' 2>/dev/null")
        try shell("debugfs -w -R 'rm gone.bin' '\(image.path)' 2>/dev/null")
        return image
    }

    /// `mkfs.ext4 -d TREE` into a 4 MiB `image` at a fixed time, UUID and hash seed (ending in
    /// `uuidTail`), so every build is the same; `options` are added (`-b 1024`).
    static func makeExt4(from tree: URL, at image: URL, uuidTail: String, options: String = "") throws {
        let uuid = "0b5e55ed-0000-4000-8000-" + uuidTail
        try shell(
            "E2FSPROGS_FAKE_TIME=1714564800 mkfs.ext4 -q -F -T small \(options) -U \(uuid) "
                + "-E root_owner=0:0,hash_seed=\(uuid) -d '\(tree.path)' '\(image.path)' 4M")
    }

    /// One line of `fls -r -p`.
    struct ListedName {
        var type: String
        var inode: UInt64
        var deleted: Bool
        var reallocated: Bool
        var path: String
    }

    /// The Sleuth Kit's own listing (the oracle): `fls -r -p [-o SECTOR] IMAGE`, virtual
    /// files (`v/v`, `V/V`) left out. Names that are not UTF-8 are spelled as the manifest
    /// spells them (bytes from 0x80 as `\xhh`).
    static func fls(_ image: URL, sector: Int? = nil) throws -> [ListedName] {
        let offset = sector.map { "-o \($0) " } ?? ""
        let data = try shell("fls -r -p \(offset)'\(image.path)'").stdoutData
        var output = ""
        if let text = String(bytes: data, encoding: .utf8) {
            output = text
        } else {
            for byte in data {
                output += byte < 0x80 ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
            }
        }
        return output.split(separator: "\n").compactMap { line -> ListedName? in
            // "r/r * 15(realloc):\tDCIM/old.bin"
            guard let tab = line.firstIndex(of: "\t") else { return nil }
            let head = line[..<tab].split(separator: " ")
            guard let type = head.first, type.first != "v", type.first != "V", var address = head.last else { return nil }
            address = address.dropLast()  // the colon
            let reallocated = address.hasSuffix("(realloc)")
            if reallocated { address = address.dropLast("(realloc)".count) }
            guard let inode = UInt64(address) else { return nil }
            return ListedName(
                type: String(type), inode: inode, deleted: head.contains("*"), reallocated: reallocated,
                path: String(line[line.index(after: tab)...]))
        }
    }

    /// `icat [-o SECTOR] IMAGE INODE | sha256sum`: TSK's own extraction, digested by coreutils.
    static func icatSHA256(_ image: URL, inode: UInt64, sector: Int? = nil) throws -> String {
        let offset = sector.map { "-o \($0) " } ?? ""
        return String(try shell("icat \(offset)'\(image.path)' \(inode) | sha256sum").stdout.prefix(64))
    }

    /// `sha256sum FILE`.
    static func sha256(_ file: URL) throws -> String {
        String(try shell("sha256sum '\(file.path)'").stdout.prefix(64))
    }

    @discardableResult
    static func shell(_ command: String) throws -> ProcessResult {
        try ArchiveTests.shell(command)
    }
}
