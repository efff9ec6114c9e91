import Foundation

/// E01, split raw, VHD and VMDK images of one raw disk, made at test time by the formats' own
/// tools (`ewfacquire`, `split`, `qemu-img convert`), and a GPT disk by `sgdisk`. The raw disk
/// is ``DiskImageFixtures/fat32InMBR(in:seed:)``; its files are the ground truth.
enum ImageFormatFixtures {
    /// Free text the acquisition's notes, description and examiner name hold: never recorded.
    static let sentinel = "BLINDFOLD-ACQ-SENTINEL"

    /// `ewfacquire` of `raw` to `target` (`.E01` is appended), unattended, with the case and
    /// evidence numbers set and the free-text fields holding ``sentinel``.
    static func ewfacquire(_ raw: URL, to target: URL, options: String) throws {
        try DiskImageFixtures.shell(
            "ewfacquire -u -q -t '\(target.path)' -C CASE-0042 -E EV-7 -D \(sentinel)-D -e \(sentinel)-e "
                + "-N \(sentinel)-N \(options) '\(raw.path)' >/dev/null")
    }

    /// `qemu-img convert -O FORMAT` of `raw`.
    static func qemuConvert(_ raw: URL, to target: URL, format: String, options: String = "") throws {
        try DiskImageFixtures.shell("qemu-img convert -q -f raw -O \(format) \(options) '\(raw.path)' '\(target.path)'")
    }

    /// `split -b BYTES` of `raw` into `stem.001`, `stem.002`, ...
    static func splitRaw(_ raw: URL, stem: URL, bytes: Int) throws {
        try DiskImageFixtures.shell("split -b \(bytes) -d -a 3 --numeric-suffixes=1 '\(raw.path)' '\(stem.path).'")
    }

    /// `md5sum` / `sha1sum` of a file.
    static func digest(_ tool: String, _ file: URL) throws -> String {
        let output = try DiskImageFixtures.shell("\(tool) '\(file.path)'").stdout
        return String(output.prefix { $0 != " " })
    }

    /// The byte offset in `file` where `pattern` first appears, or nil.
    static func offset(of pattern: [UInt8], in file: URL) throws -> Int? {
        let data = try Data(contentsOf: file)
        return data.range(of: Data(pattern)).map { $0.lowerBound }
    }

    /// Flips every bit of the byte at `offset` in `file`.
    static func flipByte(at offset: Int, in file: URL) throws {
        var data = try Data(contentsOf: file)
        data[offset] ^= 0xFF
        try data.write(to: file)
    }

    /// A 40 MiB GPT disk (`sgdisk`) with one FAT32 partition from sector 2048 holding
    /// ``DiskImageFixtures/files(seed:)``; the partition's GPT name is ``sentinel``.
    static func gptDisk(in directory: URL, seed: UInt64 = 17) throws -> URL {
        let tree = directory.appendingPathComponent("gpt-tree")
        try DiskImageFixtures.writeTree(DiskImageFixtures.files(seed: seed), under: tree)
        let image = directory.appendingPathComponent("gpt.dd")
        let sectors = 38 * 2048  // FAT32 needs 65525 clusters
        try DiskImageFixtures.shell("truncate -s \(DiskImageFixtures.fatImageBytes) '\(image.path)'")
        try DiskImageFixtures.shell(
            "sgdisk -U 0B5E55ED-0000-4000-8000-000000000017 -n 1:2048:+\(sectors) -t 1:0700 "
                + "-u 1:0B5E55ED-0000-4000-8000-000000000001 -c 1:\(sentinel) '\(image.path)' >/dev/null")
        let at = "'\(image.path)'@@\(2048 * 512)"
        try DiskImageFixtures.shell(
            "mkfs.vfat --offset 2048 -F 32 -s 1 -i 0B5E55ED --invariant '\(image.path)' \(sectors / 2) >/dev/null 2>&1")
        try DiskImageFixtures.shell("cd '\(tree.path)' && MTOOLS_SKIP_CHECK=1 mcopy -m -s -i \(at) a.bin DCIM gone.bin ::/")
        return image
    }

    /// A 16 MiB NTFS file system (`mkntfs`) holding `f.bin` with a named data stream
    /// `f.bin:hidden`, written through an `ntfs-3g` mount (FUSE: there is no way to add an
    /// alternate stream without one). Returns the image and the two contents.
    static func ntfsWithStream(in directory: URL) throws -> (image: URL, main: [UInt8], stream: [UInt8]) {
        let image = directory.appendingPathComponent("ntfs.img")
        let mount = directory.appendingPathComponent("ntfs-mount")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try DiskImageFixtures.shell("truncate -s 16M '\(image.path)' && mkntfs -F -q -Q '\(image.path)' >/dev/null 2>&1")
        // The daemon must inherit no descriptor of the test runner's (it waits for the end of the
        // child's output): Python's subprocess closes every descriptor above 2.
        try DiskImageFixtures.shell(
            "python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], stdin=subprocess.DEVNULL, "
                + "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))' "
                + "ntfs-3g -o streams_interface=windows '\(image.path)' '\(mount.path)'")
        var generator = SeededBytes(seed: 1406)
        let main = generator.next(5_000)
        let stream = generator.next(3_000)
        do {
            try Data(main).write(to: mount.appendingPathComponent("f.bin"))
            try Data(stream).write(to: mount.appendingPathComponent("f.bin:hidden"))
        } catch {
            _ = try? ProcessRunner.run("/bin/umount", [mount.path])
            throw error
        }
        try DiskImageFixtures.shell("umount '\(mount.path)'")
        return (image, main, stream)
    }

    /// A 32 MiB exFAT file system (`mkfs.exfat`) holding ``DiskImageFixtures/files(seed:)``,
    /// written through an `exfat-fuse` mount of a loop device over it (no tool writes exFAT
    /// without a mount), then `gone.bin` deleted. Returns the image.
    static func exfat(in directory: URL, seed: UInt64 = 33) throws -> URL {
        let image = directory.appendingPathComponent("sd-card.img")
        let mount = directory.appendingPathComponent("exfat-mount")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        try DiskImageFixtures.shell(
            "truncate -s 32M '\(image.path)' && mkfs.exfat -L \(sentinel.prefix(11)) '\(image.path)' >/dev/null")
        let device = try DiskImageFixtures.shell("losetup -f --show '\(image.path)'").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? ProcessRunner.run("/sbin/losetup", ["-d", device]) }
        // As for ntfs-3g: the FUSE daemon must inherit no descriptor of the test runner's.
        try DiskImageFixtures.shell(
            "python3 -c 'import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:], stdin=subprocess.DEVNULL, "
                + "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))' "
                + "mount.exfat-fuse '\(device)' '\(mount.path)'")
        do {
            try DiskImageFixtures.writeTree(DiskImageFixtures.files(seed: seed), under: mount)
            try FileManager.default.removeItem(at: mount.appendingPathComponent("gone.bin"))
        } catch {
            _ = try? ProcessRunner.run("/bin/umount", [mount.path])
            throw error
        }
        try DiskImageFixtures.shell("umount '\(mount.path)'")
        return image
    }

    /// Whether this machine can write an exFAT image through FUSE on a loop device.
    static var canMountExFAT: Bool {
        LoopDevice.usable && FileManager.default.fileExists(atPath: "/dev/fuse")
            && FileManager.default.isExecutableFile(atPath: "/sbin/mount.exfat-fuse")
            && FileManager.default.isExecutableFile(atPath: "/sbin/mkfs.exfat")
    }

    /// Whether this machine can mount an NTFS image through FUSE (root, `/dev/fuse`, ntfs-3g).
    static var canMountNTFS: Bool {
        geteuid() == 0 && FileManager.default.fileExists(atPath: "/dev/fuse")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ntfs-3g")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkntfs")
    }

    /// Every regular file's SHA-256 and modification time under `directory`, by name.
    static func fingerprints(_ directory: URL) throws -> [String: String] {
        let output = try DiskImageFixtures.shell(
            "cd '\(directory.path)' && for f in *; do printf '%s %s %s\\n' \"$f\" \"$(sha256sum < \"$f\" | cut -c1-64)\" \"$(stat -c %Y.%y \"$f\")\"; done").stdout
        var result: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }
}
