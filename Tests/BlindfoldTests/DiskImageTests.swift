import Foundation
import Testing

/// Disk images read directly through The Sleuth Kit: partitions, file systems, deleted files,
/// where each item came from, and damaged images that never stop a scan. The images are built
/// at test time (DiskImageFixtures); the expected paths and digests come from what the test
/// wrote and from TSK's own `fls`/`icat` piped through `sha256sum`, never from Blindfold.
@Suite("Disk images")
struct DiskImageTests {
    /// The members of the image whose own path is `path`, by member name.
    static func members(_ manifest: ParsedManifest, of path: String) -> [String: [String: Any]] {
        var byName: [String: [String: Any]] = [:]
        for item in manifest.items where item.string("path") == path {
            guard let layers = item["layers"] as? [[String: Any]], let last = layers.last,
                  let member = last.string("member") else { continue }
            byName[member] = item
        }
        return byName
    }

    static func sha256(_ item: [String: Any]?) -> String? { item?.object("hashes")?.string("sha256") }

    static func layer(_ item: [String: Any]?) -> [String: Any]? { (item?["layers"] as? [[String: Any]])?.last }

    @Test("FAT32 in an MBR: every file and the deleted one, digests as written and as icat extracts them, the image unchanged")
    func fat32InMBR() throws {
        let directory = try TemporaryDirectory("bf-disk-fat")
        defer { directory.remove() }
        let image = try DiskImageFixtures.fat32InMBR(in: directory.url)
        let before = try DiskImageFixtures.sha256(image)
        let mtimeBefore = try FileManager.default.attributesOfItem(atPath: image.path)[.modificationDate] as? Date

        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try Self.validate(directory.child("out"))

        // Read-only: the image's bytes and modification time are as they were.
        #expect(try DiskImageFixtures.sha256(image) == before)
        let mtimeAfter = try FileManager.default.attributesOfItem(atPath: image.path)[.modificationDate] as? Date
        #expect(mtimeAfter == mtimeBefore)

        // The image's own record: hashed like any file, and its layout.
        let own = try #require(manifest.item("disk.dd"))
        #expect(Self.sha256(own) == before)
        #expect(own.string("status") == "ok")
        let disk = try #require(own.object("disk_image"))
        #expect(disk.string("format") == "raw")
        #expect(disk.int("media_size") == DiskImageFixtures.fatImageBytes)
        #expect(disk.int("sector_size") == 512)
        #expect(disk.string("volume_system") == "dos")
        let partitions = try #require(disk["partitions"] as? [[String: Any]])
        // mmls: 001 unallocated sectors 0-2047, 002 the FAT32 partition from 2048 to the end.
        let fat = try #require(partitions.first { $0["allocated"] as? Bool == true })
        #expect(fat.int("index") == 2)
        #expect(fat.int("offset") == DiskImageFixtures.fatStartSector * 512)
        #expect(fat.int("length") == DiskImageFixtures.fatImageBytes - DiskImageFixtures.fatStartSector * 512)
        #expect(fat.string("fs") == "fat32")
        #expect(partitions.contains { $0["allocated"] as? Bool == false && $0.int("offset") == 0 && $0.int("length") == 2048 * 512 })

        let members = Self.members(manifest, of: "disk.dd")
        let written = Dictionary(uniqueKeysWithValues: DiskImageFixtures.files(seed: 14).map { ($0.path, $0.bytes) })
        let listed = try DiskImageFixtures.fls(image, sector: DiskImageFixtures.fatStartSector).filter { $0.type == "r/r" }
        #expect(listed.count == 4)
        for name in listed {
            let item = try #require(members[name.path], "no record for \(name.path)")
            let oracle = try DiskImageFixtures.icatSHA256(image, inode: name.inode, sector: DiskImageFixtures.fatStartSector)
            #expect(Self.sha256(item) == oracle, "\(name.path)")
            #expect(item.string("status") == "ok", "\(name.path): \(item.string("reason") ?? "")")
            #expect((item["deleted"] as? Bool ?? false) == name.deleted, "\(name.path)")
            let layer = try #require(Self.layer(item))
            #expect(layer.string("format") == "raw")
            #expect(layer.int("partition") == 2)
            #expect(layer.int("offset") == DiskImageFixtures.fatStartSector * 512)
            #expect(layer.string("fs") == "fat32")
            #expect(layer.int("inode") == Int(name.inode))
        }
        // The test's own ground truth: each allocated file as written, and the deleted one
        // (FAT keeps its name but for the first byte, which TSK shows as '_') recovered whole.
        for path in ["a.bin", "DCIM/b.jpg", "DCIM/c.bin"] {
            let bytes = try #require(written[path])
            #expect(members[path]?.int("size") == bytes.count)
            #expect(Self.sha256(members[path]) == Self.digest(bytes), "\(path)")
        }
        let deleted = try #require(members["_one.bin"])
        #expect(deleted["deleted"] as? Bool == true)
        #expect(Self.sha256(deleted) == Self.digest(try #require(written["gone.bin"])))
        // Nothing else: the FAT's virtual files ($MBR, $FAT1, ...) are not items.
        #expect(members.count == 4)
        #expect(manifest.summary.int("items") == 5)
    }

    @Test("ext4 without a partition table: allocated, recovered, reused-metadata and non-UTF-8 names against fls and icat")
    func ext4() throws {
        let directory = try TemporaryDirectory("bf-disk-ext4")
        defer { directory.remove() }
        let image = try DiskImageFixtures.ext4(in: directory.url)
        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try Self.validate(directory.child("out"))

        let own = try #require(manifest.item("fs.ext4"))
        let disk = try #require(own.object("disk_image"))
        #expect(disk["volume_system"] == nil)
        #expect(disk.string("fs") == "ext4")
        #expect(disk.int("media_size") == 4 << 20)

        let members = Self.members(manifest, of: "fs.ext4")
        // Regular files by their metadata (`r/r`, and `-/r` for an orphan, should there be one).
        let listed = try DiskImageFixtures.fls(image).filter { $0.type.hasSuffix("/r") }
        #expect(listed.count == 7)
        for name in listed {
            let item = try #require(members[name.path], "no record for \(name.path)")
            #expect((item["deleted"] as? Bool ?? false) == name.deleted, "\(name.path)")
            let layer = try #require(Self.layer(item))
            #expect(layer["partition"] == nil)
            #expect(layer.int("offset") == 0)
            #expect(layer.string("fs") == "ext4")
            #expect(layer.int("inode") == Int(name.inode))
            if name.reallocated {
                // The name's old inode now holds another file: recorded, never hashed as this one.
                #expect(item.string("status") == "not-opened")
                #expect(item["hashes"] == nil)
            } else {
                #expect(Self.sha256(item) == (try DiskImageFixtures.icatSHA256(image, inode: name.inode)), "\(name.path)")
            }
        }
        let written = Dictionary(uniqueKeysWithValues: DiskImageFixtures.files(seed: 41).map { ($0.path, $0.bytes) })
        #expect(Self.sha256(members["gone.bin"]) == Self.digest(try #require(written["gone.bin"])))
        #expect(members["gone.bin"]?["deleted"] as? Bool == true)
        #expect(members["DCIM/old.bin"]?["deleted"] as? Bool == true)
        #expect(members["DCIM/old.bin"]?.string("status") == "not-opened")
        #expect(listed.contains { $0.path == "DCIM/old.bin" && $0.reallocated })
        // The name that is not UTF-8 keeps its exact bytes.
        let odd = try #require(manifest.items.first { Self.layer($0)?.string("member") == "caf\\xe9.bin" })
        #expect(Self.layer(odd)?.string("member_b64") == Data("caf".utf8 + [0xE9] + ".bin".utf8).base64EncodedString())
    }

    @Test("A truncated image, a partition table pointing past the end and random bytes with image signatures: recorded, the scan goes on")
    func damagedImages() throws {
        let directory = try TemporaryDirectory("bf-disk-damaged")
        defer { directory.remove() }
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let whole = try DiskImageFixtures.fat32InMBR(in: directory.url)
        // The MBR and the start of the partition only: the FAT is cut off.
        try DiskImageFixtures.shell("head -c \(3 << 20) '\(whole.path)' > '\(evidence.path)/truncated.dd'")
        var generator = SeededBytes(seed: 99)
        var pastEnd = generator.next(64 * 1024)
        pastEnd.replaceSubrange(446..<462, with: [0x80, 0, 0, 0, 0x83, 0, 0, 0, 0x00, 0x08, 0, 0, 0xFF, 0xFF, 0xFF, 0x0F])
        for entry in 1..<4 { pastEnd.replaceSubrange(446 + entry * 16..<462 + entry * 16, with: [UInt8](repeating: 0, count: 16)) }
        pastEnd[510] = 0x55
        pastEnd[511] = 0xAA
        try Data(pastEnd).write(to: evidence.appendingPathComponent("past-end.dd"))
        // The EWF signature and segment number 1: the start of an image, then noise.
        let ewf = [0x45, 0x56, 0x46, 0x09, 0x0D, 0x0A, 0xFF, 0x00, 0x01, 0x01, 0x00] + generator.next(32 * 1024)
        try Data(ewf).write(to: evidence.appendingPathComponent("random.E01"))
        let ext = generator.next(8 * 1024)
        var fakeExt = ext
        fakeExt.replaceSubrange(1080..<1082, with: [0x53, 0xEF])
        try Data(fakeExt).write(to: evidence.appendingPathComponent("fake.ext4"))
        try Data("after the images\n".utf8).write(to: evidence.appendingPathComponent("z-last.txt"))

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(manifest.summary["complete"] as? Bool == true)
        #expect(manifest.item("z-last.txt")?.string("status") == "ok")
        for name in ["truncated.dd", "past-end.dd", "random.E01", "fake.ext4"] {
            let item = try #require(manifest.item(name), "no record for \(name)")
            // Hashed like any file whatever the parser made of it.
            #expect(Self.sha256(item) == (try DiskImageFixtures.sha256(evidence.appendingPathComponent(name))), "\(name)")
            if item.string("status") != "ok" {
                #expect(item.string("reason")?.isEmpty == false, "\(name)")
            }
        }
        #expect(manifest.item("random.E01")?.string("status") == "unsupported")
        // Members of the truncated image carry a status each; none claims bytes it did not read.
        for item in Self.members(manifest, of: "truncated.dd").values where item.string("status") == "ok" {
            #expect(item["hashes"] != nil)
        }
    }

    @Test("An image inside a zip is expanded from memory: members under both layers, digests as icat extracts them")
    func imageInsideArchive() throws {
        let directory = try TemporaryDirectory("bf-disk-nested")
        defer { directory.remove() }
        let image = try DiskImageFixtures.ext4(in: directory.url)
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try DiskImageFixtures.shell("cd '\(directory.path)' && bsdtar --format zip -cf '\(evidence.path)/case.zip' fs.ext4")
        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let nested = manifest.items.filter { ($0["layers"] as? [[String: Any]])?.count == 2 }
        let byName = Dictionary(nested.compactMap { item in Self.layer(item)?.string("member").map { ($0, item) } }) { first, _ in first }
        for name in try DiskImageFixtures.fls(image).filter({ $0.type.hasSuffix("/r") && !$0.reallocated }) {
            let item = try #require(byName[name.path], "no record for \(name.path)")
            #expect((item["layers"] as? [[String: Any]])?.first?.string("format") == "zip")
            #expect(Self.sha256(item) == (try DiskImageFixtures.icatSHA256(image, inode: name.inode)), "\(name.path)")
        }
    }

    /// The manifest in `directory` against docs/manifest.schema.json.
    static func validate(_ directory: URL) throws {
        let validator = TestEnvironment.repository.appendingPathComponent("Tests/Tools/validate_manifest.py").path
        let schema = TestEnvironment.repository.appendingPathComponent("docs/manifest.schema.json").path
        let result = try ProcessRunner.run(
            "/usr/bin/env", ["python3", validator, schema, directory.appendingPathComponent("manifest.jsonl").path])
        #expect(result.exitCode == 0, "schema: \(result.stdout) \(result.stderr)")
    }

    static func digest(_ bytes: [UInt8]) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bf-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try? Data(bytes).write(to: file)
        return (try? DiskImageFixtures.sha256(file)) ?? ""
    }
}
