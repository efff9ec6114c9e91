import BlindfoldCore
import Evidence
import Foundation
import Testing

/// Zips read with both of libarchive's zip readers, padded and damaged zips, and
/// self-extracting programs (#13, finding 6), on files `Tests/Tools/make_zip_findings.py`
/// writes byte by byte. Names, digests (Python's hashlib) and notes come from that script.
@Suite("Zip readers and self-extracting archives")
struct ZipReadersTests {
    struct Expected {
        var status: String
        var container: Bool
        var members: [(name: String, sha256: String, notes: [String])]
    }

    /// Writes the files into `directory`; returns what each must give, by file name.
    static func generate(into directory: String) throws -> [String: Expected] {
        let script = TestEnvironment.repository.appendingPathComponent("Tests/Tools/make_zip_findings.py").path
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", script, directory])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("expected.json"))
        try FileManager.default.removeItem(atPath: directory + "/expected.json")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        return object.mapValues { file in
            Expected(
                status: file["status"] as? String ?? "", container: file["container"] as? Bool ?? true,
                members: (file["members"] as? [[String: Any]] ?? []).map {
                    ($0["name"] as? String ?? "", $0["sha256"] as? String ?? "", $0["notes"] as? [String] ?? [])
                })
        }
    }

    @Test("members only one listing holds are noted; padded, damaged and self-extracting zips list every member")
    func bothReaders() throws {
        let workspace = try TemporaryDirectory("zip-readers")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence").path
        let expected = try Self.generate(into: evidence)
        #expect(expected.count == 9)
        let (result, manifest) = try ArchiveTests.scan(evidence, out: workspace.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        for (file, want) in expected.sorted(by: { $0.key < $1.key }) {
            let record = try #require(manifest.item(file), "\(file) recorded")
            #expect(record.string("status") == want.status, "\(file): \(record.string("reason") ?? "")")
            #expect((record["archive"] != nil) == want.container, "\(file): opened as a container or not")
            let listed = ArchiveTests.members(of: manifest, in: file)
            #expect(listed.map { ArchiveTests.memberName($0) ?? "" } == want.members.map(\.name), "\(file)")
            for (item, member) in zip(listed, want.members) {
                let label = "\(file)/\(member.name)"
                #expect(item.string("status") == "ok", "\(label): \(item.string("reason") ?? "")")
                #expect(item.object("hashes")?.string("sha256") == member.sha256, "\(label)")
                let kinds = (item["notes"] as? [String] ?? []).map { String($0.prefix { $0 != ":" }) }
                #expect(kinds == member.notes, "\(label): notes \(kinds)")
            }
        }
        // The same in the scanner's own process.
        let (inside, again) = try ArchiveTests.scan(evidence, out: workspace.child("in-process").path, ["--containers-in-process"])
        #expect(inside.exitCode == 0, "\(inside.stderr)")
        #expect(again.itemLines == manifest.itemLines)
    }

    @Test("zips on disk larger than --seekable-archive-bytes are read with both readers from the file, in workers and in process")
    func bothReadersFromFile() throws {
        let workspace = try TemporaryDirectory("zip-readers-file")
        defer { workspace.remove() }
        let generated = workspace.child("generated").path
        let expected = try Self.generate(into: generated)
        // Every file but the 7-Zip one: from the file, programs and padded zips are searched
        // for a zip only (a larger program with a 7-Zip archive is only hashed).
        let files = expected.keys.filter { $0 != "sfx-pe-7z.exe" }.sorted()
        #expect(files.count == 8)
        let evidence = workspace.child("evidence").path
        try FileManager.default.createDirectory(atPath: evidence, withIntermediateDirectories: true)
        let limit = 200
        for file in files {
            try FileManager.default.copyItem(atPath: generated + "/" + file, toPath: evidence + "/" + file)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: evidence + "/" + file)[.size] as? Int)
            #expect(size > limit, "\(file) is larger than the limit, so it is not held in memory")
        }
        // Hostile: a zip cut inside its second member (no directory): the walk's members and
        // its truncation, from the file as from memory.
        let whole = try Data(contentsOf: URL(fileURLWithPath: generated + "/extra-local.zip"))
        try whole.prefix(4000).write(to: URL(fileURLWithPath: evidence + "/truncated.zip"))
        let (memory, inMemory) = try ArchiveTests.scan(evidence, out: workspace.child("memory").path)
        #expect(inMemory.item("truncated.zip")?.string("status") == "truncated")
        #expect(ArchiveTests.members(of: inMemory, in: "truncated.zip").map { ArchiveTests.memberName($0) ?? "" } == ["a.bin", "extra.bin"])
        #expect(memory.exitCode == 0, "\(memory.stderr)")
        for extra in [[], ["--containers-in-process"]] {
            let out = workspace.child("file\(extra.count)").path
            let (result, manifest) = try ArchiveTests.scan(evidence, out: out, ["--seekable-archive-bytes", "\(limit)"] + extra)
            #expect(result.exitCode == 0, "\(result.stderr)")
            for file in files {
                let want = try #require(expected[file])
                let record = try #require(manifest.item(file), "\(file) recorded")
                #expect(record.string("status") == want.status, "\(file): \(record.string("reason") ?? "")")
                #expect((record["archive"] != nil) == want.container, "\(file): opened as a container or not")
                let listed = ArchiveTests.members(of: manifest, in: file)
                #expect(listed.map { ArchiveTests.memberName($0) ?? "" } == want.members.map(\.name), "\(file) \(extra)")
                for (item, member) in zip(listed, want.members) {
                    #expect(item.object("hashes")?.string("sha256") == member.sha256, "\(file)/\(member.name)")
                    let kinds = (item["notes"] as? [String] ?? []).map { String($0.prefix { $0 != ":" }) }
                    #expect(kinds == member.notes, "\(file)/\(member.name): notes \(kinds)")
                }
            }
            // Record for record what the in-memory reading gave.
            #expect(manifest.itemLines == inMemory.itemLines, "\(extra)")
        }
    }

    @Test("an archive inside other bytes is found only when its structure checks out")
    func locating() throws {
        let workspace = try TemporaryDirectory("zip-locate")
        defer { workspace.remove() }
        _ = try Self.generate(into: workspace.path)
        func locate(_ file: String) throws -> (Int, EmbeddedArchive.Kind)? {
            let bytes = try [UInt8](Data(contentsOf: workspace.child(file)))
            return bytes.withUnsafeBytes { EmbeddedArchive.locate(in: $0) }.map { ($0.offset, $0.kind) }
        }
        // Offsets as the generator wrote them: the program heads are 6000, 9000 and 7000 bytes.
        #expect(try locate("sfx-elf-zip").map { $0.0 } == 6000)
        #expect(try locate("sfx-elf-zip")?.1 == .zip)
        #expect(try locate("sfx-pe-zip.exe").map { $0.0 } == 9000)
        #expect(try locate("sfx-pe-7z.exe").map { $0.0 } == 7000)
        #expect(try locate("sfx-pe-7z.exe")?.1 == .sevenZip)
        #expect(try locate("padded-front.zip").map { $0.0 } == 512)
        #expect(try locate("plain-program") == nil)
        // From a file read with random access (zips only): the same offsets, nothing for the rest.
        func zipStart(_ file: String) throws -> Int64? {
            let bytes = try [UInt8](Data(contentsOf: workspace.child(file)))
            return bytes.withUnsafeBytes { EmbeddedArchive.zipStart(in: MemoryRandomAccess($0)) }
        }
        #expect(try zipStart("sfx-elf-zip") == 6000)
        #expect(try zipStart("sfx-pe-zip.exe") == 9000)
        #expect(try zipStart("padded-front.zip") == 512)
        for file in ["plain-program", "sfx-pe-7z.exe", "extra-local.zip", "padded-end.zip"] {
            #expect(try zipStart(file) == nil, "\(file)")
        }
        // A 7-Zip signature whose header CRC is wrong, a zip end record with no directory: nothing.
        var fake = [UInt8]("MZ".utf8) + [UInt8](repeating: 0x90, count: 100)
        fake += [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4] + [UInt8](repeating: 1, count: 24)
        fake += [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
        #expect(fake.withUnsafeBytes { EmbeddedArchive.locate(in: $0) } == nil)
    }
}
