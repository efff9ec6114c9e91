import Foundation

/// APFS containers built at test time with `mkapfs` (Debian's apfsprogs): one empty volume,
/// fixed UUIDs, and a volume name the manifest must never carry. Files cannot be written into
/// them without mounting (no APFS driver here), so the volume stays empty.
enum APFSFixtures {
    /// The volume's name: text the owner wrote, which must appear in no output.
    static let volumeName = "BFAPFSVOLNAME7"
    /// The GPT image's partition starts at this sector.
    static let partitionSector = 2048

    /// A bare APFS container of `megabytes` MiB (mkapfs refuses less than about 128).
    static func container(at image: URL, megabytes: Int = 128) throws {
        try DiskImageFixtures.shell("truncate -s \(megabytes)M '\(image.path)'")
        try make(image)
    }

    /// A GPT disk (sgdisk) whose one partition, from sector 2048 to the end, is typed APFS
    /// (AF0A) and holds an APFS container written by mkapfs into a file of the partition's size.
    static func containerInGPT(at image: URL, megabytes: Int = 160) throws {
        try DiskImageFixtures.shell(
            "truncate -s \(megabytes)M '\(image.path)' && sgdisk -n 1:\(partitionSector):0 -t 1:AF0A '\(image.path)' >/dev/null")
        let info = try DiskImageFixtures.shell("sgdisk -i 1 '\(image.path)'").stdout
        guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix("Last sector:") }),
              let last = line.split(separator: " ").dropFirst(2).first.flatMap({ Int($0) }) else {
            throw FixtureError("sgdisk did not report the partition's last sector")
        }
        let partition = image.deletingLastPathComponent().appendingPathComponent("partition.apfs")
        defer { try? FileManager.default.removeItem(at: partition) }
        try DiskImageFixtures.shell("truncate -s \((last - partitionSector + 1) * 512) '\(partition.path)'")
        try make(partition)
        try DiskImageFixtures.shell(
            "dd if='\(partition.path)' of='\(image.path)' bs=512 seek=\(partitionSector) conv=notrunc,sparse status=none")
    }

    private static func make(_ file: URL) throws {
        let result = try DiskImageFixtures.shell(
            "mkapfs -L \(volumeName) -U 0b1ad0f0-0000-4000-8000-000000000001 -u 0b1ad0f0-0000-4000-8000-000000000002 '\(file.path)'")
        guard result.exitCode == 0 else { throw FixtureError("mkapfs failed (exit \(result.exitCode))") }
    }

    /// `pstat [-o SECTOR] IMAGE`, the oracle: each volume's APSB block and encryption flag.
    static func pstat(_ image: URL, sector: Int? = nil) throws -> [(block: Int, encrypted: Bool)] {
        let offset = sector.map { "-o \($0) " } ?? ""
        let lines = try DiskImageFixtures.shell("pstat \(offset)'\(image.path)'").stdout.split(separator: "\n")
        var volumes: [(block: Int, encrypted: Bool)] = []
        for line in lines {
            if let range = line.range(of: "APSB Block Number: "), let block = Int(line[range.upperBound...]) {
                volumes.append((block, false))
            } else if let range = line.range(of: "Encrypted: "), !volumes.isEmpty {
                volumes[volumes.count - 1].encrypted = line[range.upperBound...] != "No"
            }
        }
        return volumes
    }

    /// `fls -r -p [-o SECTOR] -B BLOCK IMAGE`: the names TSK lists in a pool volume.
    static func fls(_ image: URL, sector: Int? = nil, block: Int) throws -> [Substring] {
        let offset = sector.map { "-o \($0) " } ?? ""
        let result = try DiskImageFixtures.shell("fls -r -p \(offset)-B \(block) '\(image.path)'")
        guard result.exitCode == 0 else { throw FixtureError("fls could not read the pool volume (exit \(result.exitCode))") }
        return result.stdout.split(separator: "\n")
    }
}

/// A fixture that could not be built, with what went wrong.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
