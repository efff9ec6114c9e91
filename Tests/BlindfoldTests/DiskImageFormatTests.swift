import Evidence
import Foundation
import Testing

/// E01 (single and split), split raw, VHD (fixed and dynamic) and VMDK images of one raw disk:
/// read through libewf, libvhdi and libvmdk over the scanner's read-only descriptors, their
/// members' digests equal to what `icat` extracts from the raw disk and to what the test
/// wrote; E01 acquisition facts and verification; GPT; damaged images. The images are built
/// at test time by the formats' own tools (ImageFormatFixtures).
@Suite("Disk image formats")
struct DiskImageFormatTests {
    /// The raw disk's regular files (`r/r`, the deleted one included): path to icat's SHA-256.
    static func oracle(_ raw: URL, sector: Int?) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try DiskImageFixtures.fls(raw, sector: sector) where name.type == "r/r" {
            result[name.path] = try DiskImageFixtures.icatSHA256(raw, inode: name.inode, sector: sector)
        }
        return result
    }

    @Test("E01, split E01, split raw, fixed and dynamic VHD, VMDK: the same members and digests as icat on the raw disk; facts, verification, segments, evidence unchanged")
    func everyFormatOfOneDisk() throws {
        let directory = try TemporaryDirectory("bf-image-formats")
        defer { directory.remove() }
        let raw = try DiskImageFixtures.fat32InMBR(in: directory.url)
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try ImageFormatFixtures.ewfacquire(raw, to: evidence.appendingPathComponent("img"), options: "-d sha1 -c fast")
        try ImageFormatFixtures.ewfacquire(raw, to: evidence.appendingPathComponent("part"), options: "-c none -S 10MiB")
        try ImageFormatFixtures.splitRaw(raw, stem: evidence.appendingPathComponent("disk"), bytes: 16 << 20)
        try ImageFormatFixtures.qemuConvert(raw, to: evidence.appendingPathComponent("dyn.vhd"), format: "vpc")
        try ImageFormatFixtures.qemuConvert(
            raw, to: evidence.appendingPathComponent("fixed.vhd"), format: "vpc", options: "-o subformat=fixed")
        try ImageFormatFixtures.qemuConvert(raw, to: evidence.appendingPathComponent("sparse.vmdk"), format: "vmdk")
        // A later segment whose first is not there is just a file.
        try DiskImageFixtures.shell("cp '\(evidence.path)/disk.002' '\(evidence.path)/lone.002'")
        let before = try ImageFormatFixtures.fingerprints(evidence)
        let parts = before.keys.filter { $0.hasPrefix("part.E") }.sorted()
        #expect(parts.count >= 4, "ewfacquire -S 10MiB of 40 MiB: \(parts)")

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        // Read-only: every file's bytes and modification time as they were.
        #expect(try ImageFormatFixtures.fingerprints(evidence) == before)

        let expected = try Self.oracle(raw, sector: DiskImageFixtures.fatStartSector)
        #expect(expected.count == 4)
        let written = Dictionary(uniqueKeysWithValues: DiskImageFixtures.files(seed: 14).map { ($0.path, $0.bytes) })
        #expect(expected["a.bin"] == DiskImageTests.digest(try #require(written["a.bin"])))
        let images = ["img.E01": "ewf", "part.E01": "ewf", "disk.001": "split-raw", "dyn.vhd": "vhd",
                      "fixed.vhd": "vhd", "sparse.vmdk": "vmdk"]
        for (name, format) in images {
            let own = try #require(manifest.item(name), "no record for \(name)")
            #expect(own.string("status") == "ok", "\(name): \(own.string("reason") ?? "")")
            // The image file itself is hashed like any file.
            #expect(DiskImageTests.sha256(own) == (try DiskImageFixtures.sha256(evidence.appendingPathComponent(name))))
            let disk = try #require(own.object("disk_image"), "\(name)")
            #expect(disk.string("format") == format, "\(name)")
            #expect(disk.string("volume_system") == "dos", "\(name)")
            #expect((disk.int("media_size") ?? 0) >= DiskImageFixtures.fatImageBytes, "\(name)")
            let members = DiskImageTests.members(manifest, of: name)
            #expect(members.count == expected.count, "\(name): \(members.keys.sorted())")
            for (path, digest) in expected {
                let item = try #require(members[path], "\(name): no record for \(path)")
                #expect(DiskImageTests.sha256(item) == digest, "\(name): \(path)")
                let layer = try #require(DiskImageTests.layer(item))
                #expect(layer.string("format") == format, "\(name): \(path)")
                #expect(layer.int("offset") == DiskImageFixtures.fatStartSector * 512, "\(name): \(path)")
            }
        }

        // E01: acquisition facts and verification against md5sum/sha1sum of the raw disk.
        let md5 = try ImageFormatFixtures.digest("md5sum", raw)
        let sha1 = try ImageFormatFixtures.digest("sha1sum", raw)
        let ewf = try #require(manifest.item("img.E01")?.object("disk_image"))
        #expect(ewf.int("segments") == 1)
        #expect(ewf.int("media_size") == DiskImageFixtures.fatImageBytes)
        #expect(ewf["verified"] as? Bool == true)
        #expect(ewf.string("stored_md5") == md5)
        #expect(ewf.string("computed_md5") == md5)
        #expect(ewf.string("stored_sha1") == sha1)
        #expect(ewf.string("computed_sha1") == sha1)
        #expect(ewf.int("checksum_errors") == 0)
        let acquisition = try #require(ewf.object("acquisition"))
        #expect(acquisition.string("case_number") == "CASE-0042")
        #expect(acquisition.string("evidence_number") == "EV-7")
        #expect(acquisition.string("compression") == "fast")
        #expect(acquisition.string("acquiry_software_version") == "20140813")
        let date = try #require(acquisition.string("acquiry_date"))
        #expect(date.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"#, options: .regularExpression) != nil, "\(date)")
        #expect(Set(acquisition.keys).isSubset(of: [
            "case_number", "evidence_number", "acquiry_date", "system_date", "acquiry_software_version", "compression"]))
        // Notes, description and examiner name are never written anywhere.
        let text = try String(contentsOf: directory.child("out/manifest.jsonl"), encoding: .utf8)
        #expect(!text.contains(ImageFormatFixtures.sentinel))
        #expect(!result.stderr.contains(ImageFormatFixtures.sentinel))

        // The split E01: all its segments, verified; the later segments are files of their own,
        // hashed, never expanded again.
        let split = try #require(manifest.item("part.E01")?.object("disk_image"))
        #expect(split.int("segments") == parts.count)
        let partBytes = try parts.reduce(0) { total, part in
            total + ((try FileManager.default.attributesOfItem(atPath: evidence.appendingPathComponent(part).path)[.size] as? Int) ?? 0)
        }
        #expect(split.int("segment_bytes") == partBytes)
        #expect(split["verified"] as? Bool == true)
        #expect(split.string("computed_md5") == md5)
        #expect(split["stored_sha1"] == nil)
        for later in parts.dropFirst() + ["disk.002", "disk.003", "lone.002"] {
            let item = try #require(manifest.item(later), "no record for \(later)")
            #expect(item.string("status") == "ok", "\(later)")
            #expect(item["archive"] == nil && item["disk_image"] == nil, "\(later)")
            #expect(DiskImageTests.sha256(item) == (try DiskImageFixtures.sha256(evidence.appendingPathComponent(later))))
            #expect(DiskImageTests.members(manifest, of: later).isEmpty, "\(later)")
        }
        // Split raw: three segments end to end.
        let splitRaw = try #require(manifest.item("disk.001")?.object("disk_image"))
        #expect(splitRaw.int("segments") == 3)
        #expect(splitRaw.int("segment_bytes") == DiskImageFixtures.fatImageBytes)
        #expect(splitRaw.int("media_size") == DiskImageFixtures.fatImageBytes)
        #expect(manifest.item("dyn.vhd")?.object("disk_image")?.string("image_type") == "dynamic")
        #expect(manifest.item("fixed.vhd")?.object("disk_image")?.string("image_type") == "fixed")
        #expect(manifest.item("sparse.vmdk")?.object("disk_image")?.string("image_type") == "monolithic-sparse")
    }

    @Test("An E01 with a corrupted chunk says verified false and is still read; truncated and random images are recorded and the scan goes on")
    func damagedFormats() throws {
        let directory = try TemporaryDirectory("bf-image-damaged")
        defer { directory.remove() }
        let raw = try DiskImageFixtures.fat32InMBR(in: directory.url)
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let bad = evidence.appendingPathComponent("bad.E01")
        try ImageFormatFixtures.ewfacquire(raw, to: evidence.appendingPathComponent("bad"), options: "-c none")
        // Uncompressed chunks hold the media as it is: flip a byte well inside a.bin's data, in
        // a 32 KiB chunk that holds nothing else (libewf gives a chunk that fails its checksum
        // as zeros).
        let written = Dictionary(uniqueKeysWithValues: DiskImageFixtures.files(seed: 14).map { ($0.path, $0.bytes) })
        let aBin = try #require(written["a.bin"])
        let at = try #require(try ImageFormatFixtures.offset(of: Array(aBin[150_000..<150_064]), in: bad))
        try ImageFormatFixtures.flipByte(at: at + 10, in: bad)
        try ImageFormatFixtures.ewfacquire(raw, to: directory.child("whole"), options: "-c fast")
        try DiskImageFixtures.shell("head -c 200000 '\(directory.path)/whole.E01' > '\(evidence.path)/truncated.E01'")
        var generator = SeededBytes(seed: 1414)
        try Data(Array("conectix".utf8) + generator.next(20_000)).write(to: evidence.appendingPathComponent("random.vhd"))
        try Data(Array("KDMV".utf8) + [1, 0, 0, 0] + generator.next(20_000)).write(to: evidence.appendingPathComponent("random.vmdk"))
        try Data("after the images\n".utf8).write(to: evidence.appendingPathComponent("z-last.txt"))

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        #expect(manifest.summary["complete"] as? Bool == true)
        #expect(manifest.item("z-last.txt")?.string("status") == "ok")

        let own = try #require(manifest.item("bad.E01"))
        let disk = try #require(own.object("disk_image"))
        let md5 = try ImageFormatFixtures.digest("md5sum", raw)
        #expect(disk["verified"] as? Bool == false)
        #expect(disk.string("stored_md5") == md5)
        #expect(disk.string("computed_md5") != nil && disk.string("computed_md5") != md5)
        #expect((disk.int("checksum_errors") ?? 0) >= 1)
        // The members outside the damaged chunk are read as ever.
        let expected = try DiskImageFormatTests.oracle(raw, sector: DiskImageFixtures.fatStartSector)
        let members = DiskImageTests.members(manifest, of: "bad.E01")
        #expect(DiskImageTests.sha256(members["DCIM/b.jpg"]) == expected["DCIM/b.jpg"])
        #expect(members["a.bin"] != nil)
        #expect(DiskImageTests.sha256(members["a.bin"]) != expected["a.bin"])

        for name in ["truncated.E01", "random.vhd", "random.vmdk"] {
            let item = try #require(manifest.item(name), "no record for \(name)")
            #expect(DiskImageTests.sha256(item) == (try DiskImageFixtures.sha256(evidence.appendingPathComponent(name))), "\(name)")
            if item.string("status") == "ok" {
                // libewf reads what a truncated set holds; the record says it is not the media.
                #expect(item.object("disk_image")?["verified"] as? Bool == false, "\(name)")
            } else {
                #expect(item.string("reason")?.isEmpty == false, "\(name)")
            }
        }
        #expect(manifest.item("truncated.E01")?.object("disk_image")?["stored_md5"] == nil)
        #expect(manifest.item("random.vhd")?.string("status") == "unsupported")
        #expect(manifest.item("random.vmdk")?.string("status") == "unsupported")
    }

    @Test("GPT: the partition found by its GPT entry, its files as icat extracts them, its name never recorded")
    func gpt() throws {
        let directory = try TemporaryDirectory("bf-image-gpt")
        defer { directory.remove() }
        let image = try ImageFormatFixtures.gptDisk(in: directory.url)
        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        let disk = try #require(manifest.item("gpt.dd")?.object("disk_image"))
        #expect(disk.string("volume_system") == "gpt")
        let partitions = try #require(disk["partitions"] as? [[String: Any]])
        // mmls on this disk: the protective MBR, the GPT header and table are metadata regions
        // (left out); the partition, and the unallocated space before and after it.
        let fat = try #require(partitions.first { $0.string("fs") != nil })
        #expect(fat.string("fs") == "fat32")
        #expect(fat.int("offset") == 2048 * 512)
        #expect(fat.int("length") == 38 * 2048 * 512)
        #expect(fat["allocated"] as? Bool == true)
        let mmls = try DiskImageFixtures.shell("mmls '\(image.path)'").stdout
        #expect(mmls.contains("0000002048   0000079871   0000077824"), "\(mmls)")
        let expected = try Self.oracle(image, sector: 2048)
        let members = DiskImageTests.members(manifest, of: "gpt.dd")
        #expect(expected.count == 4)
        for (path, digest) in expected {
            #expect(DiskImageTests.sha256(members[path]) == digest, "\(path)")
            #expect(DiskImageTests.layer(members[path])?.int("partition") == fat.int("index"))
        }
        let text = try String(contentsOf: directory.child("out/manifest.jsonl"), encoding: .utf8)
        #expect(!text.contains(ImageFormatFixtures.sentinel))
    }

    @Test(
        "A block device named as the root (a read-only loop device over the raw disk) is read as a raw image",
        .enabled(if: LoopDevice.usable, "skipped: needs root and a free loop device (losetup -r -f), which this machine does not give"))
    func blockDevice() throws {
        let directory = try TemporaryDirectory("bf-image-device")
        defer { directory.remove() }
        let raw = try DiskImageFixtures.fat32InMBR(in: directory.url)
        let device = try DiskImageFixtures.shell("losetup -r -f --show '\(raw.path)'").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? ProcessRunner.run("/sbin/losetup", ["-d", device]) }
        let (result, manifest) = try ArchiveTests.scan(device, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        let name = URL(fileURLWithPath: device).lastPathComponent
        let own = try #require(manifest.item(name))
        #expect(own.string("kind") == "block-device")
        #expect(own.string("status") == "ok", "\(own.string("reason") ?? "")")
        #expect(own.int("size") == DiskImageFixtures.fatImageBytes)
        #expect(DiskImageTests.sha256(own) == (try DiskImageFixtures.sha256(raw)))
        #expect(own.object("disk_image")?.string("format") == "raw")
        let expected = try Self.oracle(raw, sector: DiskImageFixtures.fatStartSector)
        let members = DiskImageTests.members(manifest, of: name)
        #expect(members.count == expected.count)
        for (path, digest) in expected {
            #expect(DiskImageTests.sha256(members[path]) == digest, "\(path)")
        }
    }

    @Test(
        "NTFS alternate data streams are items of their own (path:stream), their digests as written and as icat extracts them",
        .enabled(if: ImageFormatFixtures.canMountNTFS, "skipped: writing an alternate stream needs an ntfs-3g (FUSE) mount as root"))
    func ntfsAlternateStreams() throws {
        let directory = try TemporaryDirectory("bf-image-ntfs")
        defer { directory.remove() }
        let (image, main, stream) = try ImageFormatFixtures.ntfsWithStream(in: directory.url)
        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        #expect(manifest.item("ntfs.img")?.object("disk_image")?.string("fs") == "ntfs")
        let members = DiskImageTests.members(manifest, of: "ntfs.img")
        let file = try #require(members["f.bin"])
        let hidden = try #require(members["f.bin:hidden"], "\(members.keys.sorted())")
        #expect(DiskImageTests.sha256(file) == DiskImageTests.digest(main))
        #expect(DiskImageTests.sha256(hidden) == DiskImageTests.digest(stream))
        #expect(hidden.int("size") == stream.count)
        // fls names the stream `f.bin:hidden` at INODE-128-ID; icat extracts it.
        let address = try DiskImageFixtures.shell("fls '\(image.path)' | awk -F'\t' '$2 == \"f.bin:hidden\" {print $1}'").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last
            .map { String($0.dropLast()) } ?? ""  // "64-128-4:" without the colon
        #expect(address.contains("-128-"), "\(address)")
        let oracle = String(try DiskImageFixtures.shell("icat '\(image.path)' \(address) | sha256sum").stdout.prefix(64))
        #expect(DiskImageTests.sha256(hidden) == oracle)
        #expect(DiskImageTests.layer(hidden)?.int("inode") == Int(address.split(separator: "-").first ?? ""))
        #expect(DiskImageTests.layer(hidden)?.int("inode") == DiskImageTests.layer(file)?.int("inode"))
        // The layer names the attribute as icat takes it: INODE-TYPE-ID from inode and attribute.
        let attribute = try #require(DiskImageTests.layer(hidden)?.string("attribute"))
        #expect("\(DiskImageTests.layer(hidden)?.int("inode") ?? -1)-\(attribute)" == address)
        #expect(DiskImageTests.layer(file)?["attribute"] == nil)
    }

    @Test("A differencing VHD chain is read through the parents beside it (named by the last component of the path its header states, matched by identifier); a missing or foreign parent is `unsupported`; the stated path is never recorded")
    func differencingVHDs() throws {
        let directory = try TemporaryDirectory("bf-image-vhd-chain")
        defer { directory.remove() }
        let base = try DiskImageFixtures.fat32InMBR(in: directory.url)
        // Two later states of the same disk: a file added, then another.
        var generator = SeededBytes(seed: 2024)
        let added = [generator.next(70_000), generator.next(9_000)]
        var states = [base]
        for (index, bytes) in added.enumerated() {
            let state = directory.child("state\(index + 1).dd")
            try FileManager.default.copyItem(at: states[index], to: state)
            let file = directory.child("added\(index + 1).bin")
            try Data(bytes).write(to: file)
            try DiskImageFixtures.shell(
                "MTOOLS_SKIP_CHECK=1 mcopy -i '\(state.path)'@@\(DiskImageFixtures.fatStartSector * 512) '\(file.path)' ::/")
            states.append(state)
        }
        let evidence = directory.child("evidence")
        for folder in ["", "alone", "foreign", "linked"] {
            try FileManager.default.createDirectory(
                at: evidence.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let baseVHD = evidence.appendingPathComponent("base.vhd")
        try ImageFormatFixtures.qemuConvert(base, to: baseVHD, format: "vpc")
        let snap1 = evidence.appendingPathComponent("snap1.vhd")
        try DifferencingVHDFixtures.write(
            parent: baseVHD, parentName: "C:\\\(ImageFormatFixtures.sentinel)\\base.vhd", base: base, target: states[1],
            to: snap1, identifierByte: 0xB1)
        try DifferencingVHDFixtures.write(
            parent: snap1, parentName: "snap1.vhd", base: states[1], target: states[2],
            to: evidence.appendingPathComponent("snap2.vhd"), identifierByte: 0xB2)
        // The same child with no parent beside it, and beside a base.vhd of another identifier.
        try FileManager.default.copyItem(at: snap1, to: evidence.appendingPathComponent("alone/snap1.vhd"))
        try FileManager.default.copyItem(at: snap1, to: evidence.appendingPathComponent("foreign/snap1.vhd"))
        try ImageFormatFixtures.qemuConvert(base, to: evidence.appendingPathComponent("foreign/base.vhd"), format: "vpc")
        // A parent that is a symbolic link to the right file is not followed.
        try FileManager.default.copyItem(at: snap1, to: evidence.appendingPathComponent("linked/snap1.vhd"))
        try FileManager.default.createSymbolicLink(
            atPath: evidence.appendingPathComponent("linked/base.vhd").path, withDestinationPath: "../base.vhd")
        let before = try ImageFormatFixtures.fingerprints(evidence)

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        #expect(try ImageFormatFixtures.fingerprints(evidence) == before)

        let chains = [("base.vhd", 0, "dynamic", [baseVHD]), ("snap1.vhd", 1, "differencing", [snap1, baseVHD]),
                      ("snap2.vhd", 2, "differencing", [evidence.appendingPathComponent("snap2.vhd"), snap1, baseVHD])]
        for (name, state, type, files) in chains {
            let expected = try Self.oracle(states[state], sector: DiskImageFixtures.fatStartSector)
            #expect(state == 0 || expected["added\(state).bin"] == DiskImageTests.digest(added[state - 1]), "\(name)")
            let own = try #require(manifest.item(name), "no record for \(name)")
            #expect(own.string("status") == "ok", "\(name): \(own.string("reason") ?? "")")
            let disk = try #require(own.object("disk_image"), "\(name)")
            #expect(disk.string("image_type") == type, "\(name)")
            if files.count > 1 {
                #expect(disk.int("segments") == files.count, "\(name)")
                let bytes = try files.reduce(0) { total, file in
                    total + ((try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0)
                }
                #expect(disk.int("segment_bytes") == bytes, "\(name)")
            }
            let members = DiskImageTests.members(manifest, of: name)
            #expect(members.count == expected.count, "\(name): \(members.keys.sorted())")
            for (path, digest) in expected {
                #expect(DiskImageTests.sha256(members[path]) == digest, "\(name): \(path)")
            }
        }
        for name in ["alone/snap1.vhd", "foreign/snap1.vhd", "linked/snap1.vhd"] {
            let own = try #require(manifest.item(name), "no record for \(name)")
            #expect(own.string("status") == "unsupported", "\(name)")
            #expect(own.string("reason")?.contains("parent") == true, "\(name): \(own.string("reason") ?? "")")
            #expect(DiskImageTests.members(manifest, of: name).isEmpty, "\(name)")
            #expect(DiskImageTests.sha256(own) == (try DiskImageFixtures.sha256(evidence.appendingPathComponent(name))))
        }
        let text = try String(contentsOf: directory.child("out/manifest.jsonl"), encoding: .utf8)
        #expect(!text.contains(ImageFormatFixtures.sentinel))
        #expect(!result.stderr.contains(ImageFormatFixtures.sentinel))
    }

    @Test("A VMDK split into 2 GB sparse extents is read through its descriptor and the extents beside it (both partitions, one in the last extent); the extents are not images alone; a missing extent makes it `unsupported`; a monolithic flat descriptor leaves its flat file to be read as a raw disk")
    func splitVMDK() throws {
        let directory = try TemporaryDirectory("bf-image-vmdk-split")
        defer { directory.remove() }
        let fat = try DiskImageFixtures.fat32InMBR(in: directory.url)
        let ext = try DiskImageFixtures.ext4(in: directory.url)
        // A 4.5 GiB disk (sparse): the FAT32 partition at sector 2048, the ext4 file system as
        // partition 2 at 4 GiB, in the third 2 GB extent.
        let raw = directory.child("big.dd")
        let extStart = 4 << 21  // sectors: 4 GiB
        try FileManager.default.copyItem(at: fat, to: raw)
        try DiskImageFixtures.shell(
            "truncate -s 4608M '\(raw.path)' && dd if='\(ext.path)' of='\(raw.path)' bs=512 seek=\(extStart) conv=notrunc status=none")
        var entry = [UInt8](repeating: 0, count: 16)
        entry[4] = 0x83
        withUnsafeBytes(of: UInt32(extStart).littleEndian) { entry.replaceSubrange(8..<12, with: $0) }
        withUnsafeBytes(of: UInt32(8192).littleEndian) { entry.replaceSubrange(12..<16, with: $0) }
        let handle = try FileHandle(forWritingTo: raw)
        try handle.seek(toOffset: 446 + 16)
        try handle.write(contentsOf: Data(entry))
        try handle.close()

        let evidence = directory.child("evidence")
        for folder in ["", "incomplete"] {
            try FileManager.default.createDirectory(at: evidence.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try ImageFormatFixtures.qemuConvert(
            raw, to: evidence.appendingPathComponent("vm.vmdk"), format: "vmdk", options: "-o subformat=twoGbMaxExtentSparse")
        try ImageFormatFixtures.qemuConvert(
            fat, to: evidence.appendingPathComponent("flat.vmdk"), format: "vmdk", options: "-o subformat=monolithicFlat")
        for name in ["vm.vmdk", "vm-s001.vmdk", "vm-s002.vmdk"] {
            try FileManager.default.copyItem(
                at: evidence.appendingPathComponent(name), to: evidence.appendingPathComponent("incomplete/\(name)"))
        }
        let extents = ["vm-s001.vmdk", "vm-s002.vmdk", "vm-s003.vmdk"]
        let before = try ImageFormatFixtures.fingerprints(evidence)
        #expect(Set(extents).isSubset(of: before.keys), "\(before.keys.sorted())")

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path, ["--no-carve"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        #expect(try ImageFormatFixtures.fingerprints(evidence) == before)

        let own = try #require(manifest.item("vm.vmdk"))
        #expect(own.string("status") == "ok", "\(own.string("reason") ?? "")")
        let disk = try #require(own.object("disk_image"))
        #expect(disk.string("format") == "vmdk")
        #expect(disk.string("image_type") == "split-sparse")
        #expect(disk.int("media_size") == 4608 << 20)
        #expect(disk.int("segments") == 4)
        let bytes = try (["vm.vmdk"] + extents).reduce(0) { total, name in
            total + ((try FileManager.default.attributesOfItem(atPath: evidence.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        #expect(disk.int("segment_bytes") == bytes)
        // Members by partition offset and path, against icat on the raw disk.
        var members: [String: [String: Any]] = [:]
        for item in ArchiveTests.members(of: manifest, in: "vm.vmdk") {
            guard let layer = DiskImageTests.layer(item), let path = layer.string("member") else { continue }
            members["\(layer.int("offset") ?? -1):\(path)"] = item
        }
        var expected: [String: String] = [:]
        for sector in [DiskImageFixtures.fatStartSector, extStart] {
            // A deleted name whose inode now belongs to another file is recorded without a digest.
            for name in try DiskImageFixtures.fls(raw, sector: sector) where name.type == "r/r" && !name.reallocated {
                expected["\(sector * 512):\(name.path)"] = try DiskImageFixtures.icatSHA256(raw, inode: name.inode, sector: sector)
            }
        }
        #expect(expected.keys.contains { $0.hasPrefix("\(extStart * 512):") })
        for (key, digest) in expected {
            #expect(DiskImageTests.sha256(members[key]) == digest, "\(key): \(members.keys.sorted())")
        }
        // The extents are files, hashed and not expanded; so is the descriptor of a flat disk,
        // whose flat file is the raw disk.
        for name in extents + ["flat.vmdk"] {
            let item = try #require(manifest.item(name), "no record for \(name)")
            #expect(item.string("status") == "ok", "\(name): \(item.string("reason") ?? "")")
            #expect(item["disk_image"] == nil, "\(name)")
            #expect(ArchiveTests.members(of: manifest, in: name).isEmpty, "\(name)")
            #expect(DiskImageTests.sha256(item) == (try DiskImageFixtures.sha256(evidence.appendingPathComponent(name))))
        }
        let flatMembers = DiskImageTests.members(manifest, of: "flat-flat.vmdk")
        for (path, digest) in try Self.oracle(fat, sector: DiskImageFixtures.fatStartSector) {
            #expect(DiskImageTests.sha256(flatMembers[path]) == digest, "flat-flat.vmdk: \(path)")
        }
        let partial = try #require(manifest.item("incomplete/vm.vmdk"))
        #expect(partial.string("status") == "unsupported")
        #expect(partial.string("reason")?.contains("extent") == true, "\(partial.string("reason") ?? "")")
        #expect(ArchiveTests.members(of: manifest, in: "incomplete/vm.vmdk").isEmpty)
    }

    @Test(
        "exFAT (an SD card's file system): every file and the deleted one, digests as written and as icat extracts them; the volume label never recorded",
        .enabled(if: ImageFormatFixtures.canMountExFAT, "skipped: writing exFAT needs exfat-fuse on a loop device as root"))
    func exfat() throws {
        let directory = try TemporaryDirectory("bf-image-exfat")
        defer { directory.remove() }
        let image = try ImageFormatFixtures.exfat(in: directory.url)
        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        #expect(manifest.item("sd-card.img")?.object("disk_image")?.string("fs") == "exfat")
        let members = DiskImageTests.members(manifest, of: "sd-card.img")
        let expected = try Self.oracle(image, sector: nil)
        for (path, bytes) in DiskImageFixtures.files(seed: 33) {
            #expect(expected[path] == DiskImageTests.digest(bytes), "icat: \(path)")
            #expect(DiskImageTests.sha256(members[path]) == DiskImageTests.digest(bytes), "\(path): \(members.keys.sorted())")
        }
        #expect(members["gone.bin"]?["deleted"] as? Bool == true)
        // TSK lists the volume label as an empty root file "LABEL (Volume Label Entry)": not a file.
        let label = " (Volume Label Entry)"
        #expect(expected.keys.contains { $0.hasSuffix(label) })
        #expect(!members.keys.contains { $0.hasSuffix(label) })
        for (path, digest) in expected where !path.hasSuffix(label) {
            #expect(DiskImageTests.sha256(members[path]) == digest, "\(path)")
        }
        let text = try String(contentsOf: directory.child("out/manifest.jsonl"), encoding: .utf8)
        #expect(!text.contains(String(ImageFormatFixtures.sentinel.prefix(11))))
    }

    @Test("Orphan files: a deleted folder's file whose folder entry was reused is listed under $OrphanFiles, deleted, its digest as written and as icat extracts it")
    func orphanFiles() throws {
        let directory = try TemporaryDirectory("bf-image-orphan")
        defer { directory.remove() }
        let image = directory.child("stick.img")
        let tree = directory.child("tree")
        var generator = SeededBytes(seed: 1313)
        let photo = generator.next(30_000)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("DCIM"), withIntermediateDirectories: true)
        try Data(photo).write(to: tree.appendingPathComponent("DCIM/IMG_0042.JPG"))
        try Data(generator.next(500)).write(to: tree.appendingPathComponent("NEW.BIN"))
        let mtools = "MTOOLS_SKIP_CHECK=1"
        try DiskImageFixtures.shell(
            "truncate -s 40M '\(image.path)' && mkfs.vfat -F 32 -s 1 -i 0B5E55ED --invariant '\(image.path)' >/dev/null"
                + " && \(mtools) mcopy -s -i '\(image.path)' '\(tree.path)/DCIM' ::/"
                + " && \(mtools) mdeltree -i '\(image.path)' ::/DCIM"
                + " && \(mtools) mcopy -i '\(image.path)' '\(tree.path)/NEW.BIN' ::/")
        let orphans = try DiskImageFixtures.fls(image).filter { $0.path.hasPrefix("$OrphanFiles/") && $0.type.hasSuffix("/r") }
        #expect(orphans.count == 1, "\(orphans.map(\.path))")
        let orphan = try #require(orphans.first)
        #expect(try DiskImageFixtures.icatSHA256(image, inode: orphan.inode) == DiskImageTests.digest(photo))

        let (result, manifest) = try ArchiveTests.scan(image.path, out: directory.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        try DiskImageTests.validate(directory.child("out"))
        let members = DiskImageTests.members(manifest, of: "stick.img")
        let item = try #require(members[orphan.path], "\(members.keys.sorted())")
        #expect(item.string("status") == "ok")
        #expect(item["deleted"] as? Bool == true)
        #expect(DiskImageTests.sha256(item) == DiskImageTests.digest(photo))
        #expect(DiskImageTests.layer(item)?.int("inode") == Int(orphan.inode))
    }

    @Test("A VMDK descriptor naming more extent files than a parser's worker is handed is `unsupported` with that reason; the scan goes on")
    func tooManyExtents() throws {
        let directory = try TemporaryDirectory("bf-image-vmdk-many")
        defer { directory.remove() }
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let names = (1...1025).map { String(format: "many-s%04d.vmdk", $0) }
        var descriptor = "# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\ncreateType=\"twoGbMaxExtentSparse\"\n"
        for name in names {
            descriptor += "RW 128 SPARSE \"\(name)\"\n"
            try Data([0]).write(to: evidence.appendingPathComponent(name))
        }
        try Data(descriptor.utf8).write(to: evidence.appendingPathComponent("many.vmdk"))
        try Data("after the image\n".utf8).write(to: evidence.appendingPathComponent("z-last.txt"))

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path, ["--no-carve"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let own = try #require(manifest.item("many.vmdk"))
        #expect(own.string("status") == "unsupported", "\(own.string("reason") ?? "")")
        #expect(own.string("reason")?.contains("1026 files") == true, "\(own.string("reason") ?? "")")
        #expect(manifest.item("z-last.txt")?.string("status") == "ok")
        #expect(manifest.items.count == names.count + 2)
    }

    @Test("A split raw image numbered from .000 (split -d) is read end to end: the same members and digests as icat on the raw disk")
    func splitRawFromZero() throws {
        let directory = try TemporaryDirectory("bf-image-split0")
        defer { directory.remove() }
        let raw = try DiskImageFixtures.fat32InMBR(in: directory.url)
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try DiskImageFixtures.shell("split -b \(16 << 20) -d -a 3 '\(raw.path)' '\(evidence.path)/disk.'")
        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path, ["--no-carve"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let disk = try #require(manifest.item("disk.000")?.object("disk_image"))
        #expect(disk.string("format") == "split-raw")
        #expect(disk.int("segments") == 3)
        #expect(disk.int("media_size") == DiskImageFixtures.fatImageBytes)
        let members = DiskImageTests.members(manifest, of: "disk.000")
        let expected = try Self.oracle(raw, sector: DiskImageFixtures.fatStartSector)
        #expect(members.count == expected.count)
        for (path, digest) in expected {
            #expect(DiskImageTests.sha256(members[path]) == digest, "\(path)")
        }
    }

    @Test("Segment names: E01 to EZZ and on, Ex01, lower case, 000, 001 and aa schemes; a name that starts no set")
    func segmentNaming() throws {
        func next(_ first: String, _ number: Int, _ scheme: ([UInt8]) -> SegmentNaming.Scheme?) -> String? {
            let bytes = Array(first.utf8)
            guard let found = scheme(bytes), let name = SegmentNaming.name(of: number, scheme: found, first: bytes) else {
                return nil
            }
            return String(decoding: name, as: UTF8.self)
        }
        let ewf = SegmentNaming.ewfScheme
        #expect(next("case.E01", 2, ewf) == "case.E02")
        #expect(next("case.E01", 99, ewf) == "case.E99")
        #expect(next("case.E01", 100, ewf) == "case.EAA")
        #expect(next("case.E01", 101, ewf) == "case.EAB")
        #expect(next("case.E01", 100 + 26 * 26 - 1, ewf) == "case.EZZ")
        #expect(next("case.E01", 100 + 26 * 26, ewf) == "case.FAA")
        #expect(next("a.b.e01", 3, ewf) == "a.b.e03")
        #expect(next("a.b.e01", 100, ewf) == "a.b.eaa")
        #expect(next("disk.Ex01", 2, ewf) == "disk.Ex02")
        #expect(next("disk.Ex01", 100, ewf) == "disk.ExAA")
        #expect(next("disk.E02", 2, ewf) == nil)
        #expect(next("E01", 2, ewf) == nil)
        let split = SegmentNaming.splitRawScheme
        #expect(next("disk.001", 2, split) == "disk.002")
        #expect(next("disk.001", 10, split) == "disk.010")
        #expect(next("disk.001", 1000, split) == nil)
        #expect(next("disk.0001", 12, split) == "disk.0012")
        // `split -d` numbers from zero.
        #expect(next("disk.000", 2, split) == "disk.001")
        #expect(next("disk.000", 11, split) == "disk.010")
        #expect(next("disk.000", 1000, split) == "disk.999")
        #expect(next("disk.000", 1001, split) == nil)
        #expect(next("disk.00", 2, split) == nil)
        #expect(next("disk.aa", 2, split) == "disk.ab")
        #expect(next("disk.aa", 27, split) == "disk.ba")
        #expect(next("disk.AA", 2, split) == "disk.AB")
        #expect(next("disk.002", 3, split) == nil)
        #expect(next("disk.01", 2, split) == nil)
        #expect(next("photo.jpg", 2, split) == nil)
    }
}

/// Whether this machine lets the tests attach a read-only loop device: root, and `losetup -f`
/// finds a free one (a container without /dev/loop-control does not).
enum LoopDevice {
    static var usable: Bool {
        guard geteuid() == 0, let found = try? ProcessRunner.run("/bin/sh", ["-c", "losetup -f"]) else { return false }
        return found.exitCode == 0
    }
}
