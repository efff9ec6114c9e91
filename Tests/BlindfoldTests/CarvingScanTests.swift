import Foundation
import Testing

/// Carving inside real scans: disk images built at test time (CarvingFixtures) with deleted
/// pictures and a video in unallocated clusters and blocks, raw pictures where no partition
/// or file system is, and things that must not be carved. Expected offsets come from
/// searching the image for the bytes the test wrote (and, for ext4, from `istat`); expected
/// digests are `sha256sum` of those bytes.
@Suite("Carving in scans")
struct CarvingScanTests {
    /// The carved members of the image at `path`, by their offset in the image.
    static func carved(_ manifest: ParsedManifest, of path: String) -> [Int: [String: Any]] {
        var byOffset: [Int: [String: Any]] = [:]
        for (member, item) in DiskImageTests.members(manifest, of: path) where member.hasPrefix("carved/") {
            if let offset = Int(member.dropFirst("carved/".count).split(separator: ".").first ?? "") {
                byOffset[offset] = item
            }
        }
        return byOffset
    }

    static func carvedLayer(_ item: [String: Any]?) -> [String: Any]? { DiskImageTests.layer(item)?.object("carved") }

    @Test("FAT32 image: deleted pictures and video, raw pictures outside partitions carved whole, located and matched; nothing else")
    func fatImage() throws {
        let directory = try TemporaryDirectory("bf-carve-fat")
        defer { directory.remove() }
        let fixture = try CarvingFixtures.fat(in: directory.url)
        let out = directory.child("out")
        let (result, manifest) = try ArchiveTests.scan(
            fixture.url.path, out: out.path,
            ["--known-bad", TestEnvironment.hashsets.appendingPathComponent("known-bad.sha256").path, "--export", "dfxml"])
        #expect(result.exitCode == 1, "\(result.stderr)")
        try DiskImageTests.validate(out)
        let image = try #require(manifest.item("carve.dd"))
        let partitions = try #require(image.object("disk_image")?["partitions"] as? [[String: Any]])
        // mmls numbers the space before partition 1 as its own unallocated region.
        let before = try #require(partitions.first { $0["allocated"] as? Bool == false && $0.int("offset") == 0 })
        let fat = try #require(partitions.first { $0.string("fs") == "fat32" })
        let raw = try #require(partitions.first { $0["allocated"] as? Bool == true && $0["fs"] == nil })
        #expect(raw.int("offset") == CarvingFixtures.rawStart * 512)

        let carved = Self.carved(manifest, of: "carve.dd")
        #expect(carved.keys.sorted() == fixture.carvable.map(\.offset).sorted())
        for placed in fixture.carvable {
            let item = try #require(carved[placed.offset], "\(placed.name) was not carved at \(placed.offset)")
            #expect(DiskImageTests.layer(item)?.string("member") == "carved/\(placed.offset).\(placed.ext)")
            #expect(item.string("status") == "ok", "\(placed.name): \(item.string("reason") ?? "")")
            #expect(item.int("size") == placed.bytes.count, "\(placed.name)")
            #expect(DiskImageTests.sha256(item) == DiskImageTests.digest(placed.bytes), "\(placed.name)")
            let location = try #require(Self.carvedLayer(item))
            #expect(location.int("offset") == placed.offset)
            #expect(location.int("length") == placed.bytes.count)
            switch placed.name {
            case "badge.png":
                #expect(location.string("from") == "unpartitioned")
                #expect(location.int("partition") == before.int("index"))
                #expect(location.int("region_offset") == 0)
                #expect(location["fs"] == nil)
            case "holiday.jpg":
                #expect(location.string("from") == "no-file-system")
                #expect(location.int("partition") == raw.int("index"))
                #expect(location.int("region_offset") == CarvingFixtures.rawStart * 512)
            default:
                #expect(location.string("from") == "unallocated", "\(placed.name)")
                #expect(location.int("partition") == fat.int("index"))
                #expect(location.int("region_offset") == CarvingFixtures.fatStart * 512)
                #expect(location.string("fs") == "fat32")
            }
        }
        for offset in fixture.notCarved { #expect(carved[offset] == nil, "something was carved at \(offset)") }

        // Sniffed, perceptually hashed and matched like any file.
        let jpeg = try #require(fixture.carvable.first { $0.name == "IMG_0001.jpg" })
        let hit = try #require(carved[jpeg.offset])
        #expect(hit.string("mime") == "image/jpeg")
        #expect(hit.object("hashes")?.string("pdq") != nil)
        let matches = try #require(hit["matches"] as? [[String: Any]])
        #expect(matches.contains { $0.string("set") == "known-bad.sha256" && $0.string("role") == "known-bad" })
        // After the files: every carved record follows every file-system member's.
        let members = manifest.items.filter { $0.string("path") == "carve.dd" && $0["layers"] != nil }
        let firstCarved = try #require(members.firstIndex { Self.carvedLayer($0) != nil })
        #expect(members[firstCarved...].allSatisfy { Self.carvedLayer($0) != nil })
        #expect(firstCarved > 0)
        // A scan keeps the file system's listing order: the text file was written first.
        #expect(try Self.position("keep.txt", in: members) < Self.position("sunset.png", in: members))

        // DFXML: one byte run per carved item, valid against the schema.
        let dfxml = try String(contentsOf: out.appendingPathComponent("manifest.dfxml"), encoding: .utf8)
        for placed in fixture.carvable {
            #expect(dfxml.contains("<byte_run file_offset=\"0\" img_offset=\"\(placed.offset)\" len=\"\(placed.bytes.count)\"/>"))
        }
        if FileManager.default.fileExists(atPath: ExportVerifyTests.schema.path) {
            let lint = try ProcessRunner.run(
                "/usr/bin/xmllint", ["--noout", "--schema", ExportVerifyTests.schema.path, out.appendingPathComponent("manifest.dfxml").path])
            #expect(lint.exitCode == 0, "\(lint.stderr)")
        }
        let options = try #require(manifest.header.object("options"))
        #expect(options["carve"] as? Bool == true)
        #expect(options.int("carve_max_bytes") == 64 << 20)
    }

    @Test("--no-carve: the files only; --carve-max-bytes records a larger picture 'limit' at its offset without reading it")
    func switchesAndCap() throws {
        let directory = try TemporaryDirectory("bf-carve-off")
        defer { directory.remove() }
        let fixture = try CarvingFixtures.fat(in: directory.url)
        let (off, offManifest) = try ArchiveTests.scan(fixture.url.path, out: directory.child("off").path, ["--no-carve"])
        #expect(off.exitCode == 0, "\(off.stderr)")
        #expect(Self.carved(offManifest, of: "carve.dd").isEmpty)
        #expect(offManifest.header.object("options")?["carve"] as? Bool == false)
        #expect(DiskImageTests.members(offManifest, of: "carve.dd")["keep.txt"] != nil)

        let (capped, cappedManifest) = try ArchiveTests.scan(
            fixture.url.path, out: directory.child("capped").path, ["--carve-max-bytes", "4096"])
        #expect(capped.exitCode == 0, "\(capped.stderr)")
        let bmp = try #require(fixture.carvable.first { $0.name == "scan.bmp" })
        let item = try #require(Self.carved(cappedManifest, of: "carve.dd")[bmp.offset])
        #expect(item.string("status") == "limit")
        #expect(item["hashes"] == nil)
        #expect(Self.carvedLayer(item)?.int("length") == bmp.bytes.count)
        let jpeg = try #require(fixture.carvable.first { $0.name == "IMG_0001.jpg" })
        #expect(Self.carved(cappedManifest, of: "carve.dd")[jpeg.offset]?.string("status") == "ok")
    }

    @Test("An E01 of a disk with neither a partition table nor a file system: verified, its facts recorded, the whole media carved, `unsupported` with the reason; with --no-carve the facts alone")
    func imageWithNothingListed() throws {
        let directory = try TemporaryDirectory("bf-carve-blank")
        defer { directory.remove() }
        // 4 MiB of seeded noise (a wiped or encrypted disk) with a JPEG and a PNG at sector starts.
        var generator = SeededBytes(seed: 4242)
        var disk = generator.next(4 << 20)
        let jpeg = try CarvingSamples.jpeg()
        let png = try CarvingSamples.png()
        let placed = [(offset: 512 * 1000, bytes: jpeg), (offset: 512 * 6000, bytes: png)]
        for picture in placed {
            disk.replaceSubrange(picture.offset..<(picture.offset + picture.bytes.count), with: picture.bytes)
        }
        let raw = directory.child("blank.dd")
        try Data(disk).write(to: raw)
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try ImageFormatFixtures.ewfacquire(raw, to: evidence.appendingPathComponent("blank"), options: "-c fast")
        let md5 = try ImageFormatFixtures.digest("md5sum", raw)

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        let own = try #require(manifest.item("blank.E01"))
        #expect(own.string("status") == "unsupported")
        #expect(own.string("reason")?.hasSuffix("the whole media was carved") == true, "\(own.string("reason") ?? "")")
        let facts = try #require(own.object("disk_image"))
        #expect(facts["verified"] as? Bool == true)
        #expect(facts.string("computed_md5") == md5)
        #expect(facts["volume_system"] == nil && facts["fs"] == nil)
        let carved = Self.carved(manifest, of: "blank.E01")
        #expect(carved.count == placed.count, "\(carved.keys.sorted())")
        for picture in placed {
            let item = try #require(carved[picture.offset], "nothing carved at \(picture.offset)")
            #expect(DiskImageTests.sha256(item) == DiskImageTests.digest(picture.bytes))
            #expect(Self.carvedLayer(item)?.string("from") == "no-file-system")
        }

        let (off, offManifest) = try ArchiveTests.scan(evidence.path, out: directory.child("off").path, ["--no-carve"])
        #expect(off.exitCode == 0, "\(off.stderr)")
        let plain = try #require(offManifest.item("blank.E01"))
        #expect(plain.string("status") == "unsupported")
        #expect(plain.string("reason")?.hasSuffix("carving is off") == true)
        #expect(plain.object("disk_image")?["verified"] as? Bool == true)
        #expect(Self.carved(offManifest, of: "blank.E01").isEmpty)
    }

    @Test("ext4 without a partition table: a deleted JPEG carved at the block istat names, a GIF past the file system")
    func ext4Image() throws {
        let directory = try TemporaryDirectory("bf-carve-ext4")
        defer { directory.remove() }
        let fixture = try CarvingFixtures.ext4(in: directory.url)
        // TSK's own account of the deleted file: its first data block, at 1 KiB a block.
        let listed = try DiskImageFixtures.fls(fixture.image).first { $0.path == "gone.jpg" && $0.deleted }
        let inode = try #require(listed?.inode)
        let istat = try CarvingFixtures.shell("istat '\(fixture.image.path)' \(inode)").stdout
        let blocks = istat.components(separatedBy: "Direct Blocks:").last?.split(whereSeparator: { !$0.isNumber }).first
        let firstBlock = try #require(blocks.flatMap { Int($0) }, "istat: \(istat)")

        let out = directory.child("out")
        let (result, manifest) = try ArchiveTests.scan(fixture.image.path, out: out.path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(out)
        let carved = Self.carved(manifest, of: "carve.ext4")
        #expect(carved.keys.sorted() == [firstBlock * 1024, (4 << 20) + 4096])
        let jpeg = try #require(carved[firstBlock * 1024])
        #expect(DiskImageTests.sha256(jpeg) == DiskImageTests.digest(fixture.deletedJPEG))
        #expect(Self.carvedLayer(jpeg)?.string("from") == "unallocated")
        #expect(Self.carvedLayer(jpeg)?.string("fs") == "ext4")
        #expect(Self.carvedLayer(jpeg)?["partition"] == nil)
        let gif = try #require(carved[(4 << 20) + 4096])
        #expect(DiskImageTests.sha256(gif) == DiskImageTests.digest(fixture.gif))
        #expect(Self.carvedLayer(gif)?.string("from") == "unpartitioned")
        #expect(Self.carvedLayer(gif)?.int("region_offset") == 4 << 20)
    }

    @Test("triage reads an image's media files first, carves after its files, and a carved hit decides the exit code")
    func triage() throws {
        let directory = try TemporaryDirectory("bf-carve-triage")
        defer { directory.remove() }
        let fixture = try CarvingFixtures.fat(in: directory.url)
        let out = directory.child("out")
        let result = try ProcessRunner.blindfold([
            "triage", fixture.url.path, "--out", out.path, "--budget", "5m",
            "--known-bad", TestEnvironment.hashsets.appendingPathComponent("known-bad.sha256").path,
        ])
        #expect(result.exitCode == 1, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: out)
        let carved = Self.carved(manifest, of: "carve.dd")
        #expect(carved.keys.sorted() == fixture.carvable.map(\.offset).sorted())
        let members = manifest.items.filter { $0.string("path") == "carve.dd" && $0["layers"] != nil }
        let firstCarved = try #require(members.firstIndex { Self.carvedLayer($0) != nil })
        #expect(firstCarved > 0 && members[firstCarved...].allSatisfy { Self.carvedLayer($0) != nil })
        // Media first among the image's files: the PNG before the text file written before it.
        #expect(try Self.position("sunset.png", in: members) < Self.position("keep.txt", in: members))
    }

    /// Where the member named `name` is among `members`.
    static func position(_ name: String, in members: [[String: Any]]) throws -> Int {
        try #require(members.firstIndex { DiskImageTests.layer($0)?.string("member") == name }, "no member \(name)")
    }
}
