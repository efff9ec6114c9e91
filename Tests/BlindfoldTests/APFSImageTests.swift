import BlindfoldCore
import Evidence
import Foundation
import Testing
@testable import Isolation

/// APFS through The Sleuth Kit's pool API: a bare container and one inside a GPT partition,
/// made by `mkapfs` at test time. The volume is empty (nothing can be written into it without
/// mounting), so the tests check what can be checked honestly against `pstat`, `fls -B` and
/// `mmls`: the image is recognised, the pool and its volume are opened, the layout says `apfs`
/// with the pool's volume count, there are no members, and the volume's name is nowhere.
@Suite("APFS images")
struct APFSImageTests {
    @Test("A bare APFS container: recognised, its pool and volume opened, layout apfs, no members, as pstat and fls -B say")
    func bareContainer() throws {
        let directory = try TemporaryDirectory("bf-apfs-bare")
        defer { directory.remove() }
        let image = directory.child("container.img")
        try APFSFixtures.container(at: image)
        let before = try DiskImageFixtures.sha256(image)
        let oracle = try APFSFixtures.pstat(image)
        #expect(oracle.count == 1)
        #expect(oracle.allSatisfy { !$0.encrypted })
        let listed = try oracle.flatMap { try APFSFixtures.fls(image, block: $0.block) }

        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        #expect(try DiskImageFixtures.sha256(image) == before)

        let own = try #require(manifest.item("container.img"))
        #expect(own.string("status") == "ok", "\(own.string("reason") ?? "")")
        #expect(DiskImageTests.sha256(own) == before)
        let disk = try #require(own.object("disk_image"))
        #expect(disk["volume_system"] == nil)
        #expect(disk.string("fs") == "apfs")
        #expect(disk.int("media_size") == 128 << 20)
        let pool = try #require(disk.object("pool"))
        #expect(pool.string("type") == "apfs")
        #expect(pool.int("volumes") == oracle.count)
        #expect((pool["encrypted_volumes"] as? [Any])?.isEmpty == true)
        #expect((pool["unread_volumes"] as? [Any])?.isEmpty == true)
        // fls lists nothing in the empty volume, and the scan has no member either.
        #expect(listed.isEmpty)
        #expect(DiskImageTests.members(manifest, of: "container.img").count == listed.count)
        #expect(manifest.summary.int("items") == 1)
        try Self.expectNoVolumeName(in: directory.child("out"), result)
    }

    @Test("APFS in a GPT partition: the partition's fs is apfs with its pool, as mmls, pstat -o and fls -o -B say")
    func containerInGPT() throws {
        let directory = try TemporaryDirectory("bf-apfs-gpt")
        defer { directory.remove() }
        let image = directory.child("disk.dd")
        try APFSFixtures.containerInGPT(at: image)
        let sector = APFSFixtures.partitionSector
        let oracle = try APFSFixtures.pstat(image, sector: sector)
        #expect(oracle.count == 1)
        let listed = try oracle.flatMap { try APFSFixtures.fls(image, sector: sector, block: $0.block) }
        // mmls numbers the partition 4 (after the safety table, the gap, the header and the table).
        let mmls = try DiskImageFixtures.shell("mmls '\(image.path)'").stdout
        #expect(mmls.contains("004:  000       0000002048"))

        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))

        let own = try #require(manifest.item("disk.dd"))
        #expect(own.string("status") == "ok", "\(own.string("reason") ?? "")")
        let disk = try #require(own.object("disk_image"))
        #expect(disk.string("volume_system") == "gpt")
        #expect(disk["pool"] == nil)
        let partitions = try #require(disk["partitions"] as? [[String: Any]])
        let apfs = try #require(partitions.first { $0["allocated"] as? Bool == true })
        #expect(apfs.int("index") == 4)
        #expect(apfs.int("offset") == sector * 512)
        #expect(apfs.string("fs") == "apfs")
        let pool = try #require(apfs.object("pool"))
        #expect(pool.string("type") == "apfs")
        #expect(pool.int("volumes") == oracle.count)
        #expect(partitions.filter { $0["pool"] != nil }.count == 1)
        #expect(listed.isEmpty)
        #expect(DiskImageTests.members(manifest, of: "disk.dd").isEmpty)
        try Self.expectNoVolumeName(in: directory.child("out"), result)
    }

    @Test("Damaged APFS: a container cut after its first MiB and one whose volume superblock is zeroed are recorded with a reason, the scan goes on")
    func damagedContainers() throws {
        let directory = try TemporaryDirectory("bf-apfs-damaged")
        defer { directory.remove() }
        let whole = directory.child("whole.apfs")
        try APFSFixtures.container(at: whole)
        let block = try #require(try APFSFixtures.pstat(whole).first?.block)
        let root = directory.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try DiskImageFixtures.shell(
            "head -c 1048576 '\(whole.path)' > '\(root.path)/cut.img' && cp '\(whole.path)' '\(root.path)/novolume.img'"
                + " && dd if=/dev/zero of='\(root.path)/novolume.img' bs=4096 seek=\(block) count=1 conv=notrunc status=none"
                + " && printf 'after' > '\(root.path)/zz-after.txt'")
        try FileManager.default.removeItem(at: whole)

        let (result, manifest) = try ArchiveTests.scan(root.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        // Both images have a record, hashed; the file after them is read as usual.
        for name in ["cut.img", "novolume.img"] {
            let own = try #require(manifest.item(name), "no record for \(name)")
            #expect(DiskImageTests.sha256(own) != nil, "\(name)")
            #expect(DiskImageTests.members(manifest, of: name).isEmpty, "\(name)")
        }
        // TSK's pool API refuses both (pstat says so too: it reads every volume superblock
        // while opening the container): recorded with a reason, never taken for a readable disk.
        for name in ["cut.img", "novolume.img"] {
            let own = manifest.item(name)
            #expect(["unsupported", "corrupt"].contains(own?.string("status") ?? ""), "\(name): \(own?.string("status") ?? "")")
            #expect(own?.string("reason")?.isEmpty == false, "\(name)")
            #expect(try DiskImageFixtures.shell("pstat '\(root.path)/\(name)' || true").stdout.contains("Volume") == false)
        }
        #expect(manifest.item("zz-after.txt")?.string("status") == "ok")
        try Self.expectNoVolumeName(in: directory.child("out"), result)
    }

    @Test("The pool fields read back: a layout with a pool and a location with a pool volume cross the worker wire")
    func poolFieldsRoundTrip() throws {
        var entry = ContainerEntry(name: PathBytes(Array("a.bin".utf8)), kind: .file, declaredSize: 3)
        entry.location = LayerLocation(partition: 4, offset: 1_048_576, fileSystem: "apfs", inode: 18, poolVolume: 1)
        let pool = DiskLayout.Pool(type: "apfs", volumes: 3, encryptedVolumes: [2], unreadVolumes: [])
        let layout = DiskLayout(
            imageFormat: "raw", mediaSize: 167_772_160, sectorSize: 512, volumeSystem: "gpt",
            partitions: [DiskLayout.Partition(index: 4, offset: 1_048_576, length: 166_706_688, allocated: true, fileSystem: "apfs", pool: pool)],
            fileSystem: nil)
        let replies: [ContainerReply] = [.entry(entry, format: "raw", pushed: true), .layout(layout)]
        for reply in replies {
            var writer = WireWriter()
            writer.containerReply(reply)
            var reader = WireReader(Array(writer.framed.dropFirst(8)))
            #expect(try reader.containerReply() == reply)
        }
    }

    /// The volume's name is text its owner wrote: in no output.
    static func expectNoVolumeName(in out: URL, _ result: ProcessResult) throws {
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        #expect(!manifest.contains(APFSFixtures.volumeName))
        #expect(!result.stdout.contains(APFSFixtures.volumeName))
        #expect(!result.stderr.contains(APFSFixtures.volumeName))
    }
}
