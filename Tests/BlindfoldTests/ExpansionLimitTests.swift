import BlindfoldCore
import Evidence
import Foundation
@testable import Scanner
import Testing

/// Expansion limits that spare small innocent containers and still stop bombs, and member
/// names charged to the budget (#13, findings 7 and 10): real gzip and tar streams written by
/// Python at test time, read through libarchive in process.
@Suite("Expansion limits: ratio floor and member names")
struct ExpansionLimitTests {
    /// The bytes a Python snippet writes to the file named by its first argument.
    static func python(_ program: String) throws -> [UInt8] {
        let workspace = try TemporaryDirectory("expansion")
        defer { workspace.remove() }
        let file = workspace.child("made").path
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", program, file])
        #expect(made.exitCode == 0, "\(made.stderr)")
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
    }

    /// A tar.gz (about 10 KB) of 8 MiB of zeros and a short text: an 800:1 ratio, harmless.
    static let smallTarGz = """
        import tarfile, io, gzip, sys
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode='w', format=tarfile.USTAR_FORMAT) as t:
            for name, data in (('zeros.img', bytes(8 << 20)), ('note.txt', b'a short note')):
                info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 0
                t.addfile(info, io.BytesIO(data))
        open(sys.argv[1], 'wb').write(gzip.compress(buf.getvalue(), mtime=0))
        """

    @Test("a tiny container that expands 800x but stays under the floor is read in full")
    func smallContainerUnderFloor() throws {
        let archive = try Self.python(Self.smallTarGz)
        #expect(archive.count < 20_000)
        var harness = PipelineHarness(formats: [ArchiveFormat()])
        let records = try harness.read(archive, trickle: 4096)
        #expect(records.map(\.status) == [.ok, .ok, .ok], "\(records.map { $0.reason ?? "" })")
        let digests = try Oracle.sha256([[UInt8](repeating: 0, count: 8 << 20), Array("a short note".utf8)])
        #expect(records.dropFirst().map { $0.hash("sha256") } == digests.map { HashValue.hex($0) })
        // The same container under the old rule (ratio from the first megabyte) was a bomb.
        harness.limits.expansionRatioFloor = 1 << 20
        let old = try harness.read(archive, trickle: 4096)
        #expect(old[0].status == .limit)
        #expect(old[0].reason?.hasPrefix("expansion_ratio:") == true)
    }

    @Test("a gzip of 1 GiB of one letter stops at the floor, within its bytes plus one buffer")
    func bombPastFloor() throws {
        let bomb = try Self.python("""
            import zlib, sys
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            with open(sys.argv[1], 'wb') as f:
                block = b'A' * (1 << 20)
                for _ in range(1024): f.write(c.compress(block))
                f.write(c.flush())
            """)
        #expect(bomb.count < 2_000_000)
        let started = Date()
        let records = try PipelineHarness(formats: [ArchiveFormat()]).read(bomb, trickle: 65_536)
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(records.count == 2)
        #expect(records.map(\.status) == [.limit, .limit])
        #expect(records[1].reason?.hasPrefix("expansion_ratio: the archive produced more than 100x") == true, "\(records[1].reason ?? "")")
        let produced = try #require(records[0].container?.memberBytes)
        #expect(produced <= ScanLimits().expansionRatioFloor + (2 << 20), "stopped near the floor: \(produced)")
    }

    @Test(
        "A GNU sparse tar of a 96 MiB file holding 12 KiB of data (libarchive's own sparse tests are such files) is read in full, in workers and in process; its holes still count against --expansion-bytes",
        arguments: [[], ["--containers-in-process"]])
    func sparseTarHoles(_ mode: [String]) throws {
        let directory = try TemporaryDirectory("bf-sparse-tar")
        defer { directory.remove() }
        let source = directory.child("src")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let file = source.appendingPathComponent("disk.img")
        var generator = SeededBytes(seed: 96)
        let parts = (0..<3).map { _ in generator.next(4096) }
        try DiskImageFixtures.shell("truncate -s 96M '\(file.path)'")
        let handle = try FileHandle(forWritingTo: file)
        for (index, part) in parts.enumerated() {
            try handle.seek(toOffset: UInt64(index) * (48 << 20) - (index == 2 ? 4096 : 0))
            try handle.write(contentsOf: Data(part))
        }
        try handle.close()
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let tar = evidence.appendingPathComponent("sparse.tar")
        try DiskImageFixtures.shell("cd '\(source.path)' && tar --sparse --format=gnu -cf '\(tar.path)' disk.img")
        let tarBytes = try FileManager.default.attributesOfItem(atPath: tar.path)[.size] as? Int ?? 0
        #expect(tarBytes < 100_000, "a sparse tar: \(tarBytes) bytes")
        let expected = try DiskImageFixtures.sha256(file)

        let (result, manifest) = try ArchiveTests.scan(evidence.path, out: directory.child("out").path, mode)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(manifest.item("sparse.tar")?.string("status") == "ok", "\(manifest.item("sparse.tar")?.string("reason") ?? "")")
        let member = try #require(ArchiveTests.members(of: manifest, in: "sparse.tar").first)
        #expect(member.string("status") == "ok")
        #expect(member.object("hashes")?.string("sha256") == expected)
        #expect(member.int("size") == 96 << 20)

        let (capped, cappedManifest) = try ArchiveTests.scan(
            evidence.path, out: directory.child("capped").path, mode + ["--expansion-bytes", "\(32 << 20)"])
        #expect(capped.exitCode == 0, "\(capped.stderr)")
        let limited = try #require(cappedManifest.item("sparse.tar"))
        #expect(limited.string("status") == "limit")
        #expect(limited.string("reason")?.hasPrefix("expansion_bytes:") == true, "\(limited.string("reason") ?? "")")
    }

    @Test("2,000 members with 60 KB PAX names: names are charged and cut, so records and memory stay bounded")
    func longPAXNames() throws {
        let archive = try Self.python("""
            import tarfile, io, gzip, sys
            buf = io.BytesIO()
            with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0) as gz:
                with tarfile.open(fileobj=gz, mode='w', format=tarfile.PAX_FORMAT) as t:
                    for i in range(2000):
                        info = tarfile.TarInfo(f'{i:05d}/' + 'n' * 60000); info.size = 1; info.mtime = 0
                        t.addfile(info, io.BytesIO(b'x'))
            open(sys.argv[1], 'wb').write(buf.getvalue())
            """)
        let records = try PipelineHarness(formats: [ArchiveFormat()]).read(archive)
        let members = records.dropFirst()
        // 64 MiB of names (the floor; the ratio allows less) is about 1,118 of them.
        #expect(records[0].status == .limit)
        #expect(records[0].reason?.hasPrefix("expansion_ratio:") == true, "\(records[0].reason ?? "")")
        #expect(members.count > 1_000 && members.count < 1_200, "\(members.count) members listed")
        let limit = ScanLimits().memberNameBytes
        #expect(members.allSatisfy { ($0.path.layers.last?.member.bytes.count ?? 0) == limit })
        let first = try #require(members.first)
        #expect(first.status == .ok)
        let full = Array("00000/".utf8) + [UInt8](repeating: UInt8(ascii: "n"), count: 60_000)
        let digest = try Oracle.sha256([full])[0]
        #expect(first.notes == [
            "name_truncated: the stored name is 60006 bytes; the first 4096 are recorded (member_name_bytes); SHA-256 of the whole name: \(digest)",
        ])
        let recorded = members.reduce(0) { $0 + ($1.path.layers.last?.member.bytes.count ?? 0) }
        #expect(recorded < 5_000_000, "names held for the manifest: \(recorded) bytes")
    }
}
