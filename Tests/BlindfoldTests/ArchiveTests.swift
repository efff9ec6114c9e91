import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Archives are streamed: every member is hashed as if extracted, nothing is written to disk.
@Suite("Archives")
struct ArchiveTests {
    /// A source tree with text, random bytes and a nested folder.
    static func makeSource(in directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory.appendingPathComponent("photos/2024"), withIntermediateDirectories: true)
        try Data("first member\n".utf8).write(to: directory.appendingPathComponent("readme.txt"))
        var generator = SeededBytes(seed: 7)
        try Data(generator.next(150_000)).write(to: directory.appendingPathComponent("photos/2024/img.bin"))
        try Data(generator.next(3_000)).write(to: directory.appendingPathComponent("photos/small.bin"))
    }

    /// Runs a shell command; fails the test when it fails.
    @discardableResult
    static func shell(_ command: String) throws -> ProcessResult {
        let result = try ProcessRunner.run("/bin/sh", ["-c", command])
        #expect(result.exitCode == 0, "'\(command)' failed: \(result.stderr)")
        return result
    }

    /// `sha256sum` of every regular file under `directory`, by relative path.
    static func digests(under directory: String) throws -> [String: String] {
        let result = try shell("cd '\(directory)' && find . -type f -print0 | sort -z | xargs -0 -r sha256sum")
        var map: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let digest = String(line.prefix(64))
            var path = String(line.dropFirst(66))
            if path.hasPrefix("./") { path.removeFirst(2) }
            map[path] = digest
        }
        return map
    }

    static func scan(_ root: String, out: String, _ extra: [String] = []) throws -> (ProcessResult, ParsedManifest) {
        let result = try ProcessRunner.blindfold(["scan", root, "--out", out] + extra)
        return (result, try ParsedManifest(directory: URL(fileURLWithPath: out)))
    }

    static func members(of manifest: ParsedManifest, in container: String) -> [[String: Any]] {
        manifest.items.filter { $0.string("path") == container && $0["layers"] != nil }
    }

    static func memberName(_ item: [String: Any]) -> String? {
        (item["layers"] as? [[String: Any]])?.last?.string("member")
    }

    static let formats: [(file: String, command: String)] = [
        ("a.zip", "bsdtar --format zip -cf"),
        ("a.tar", "bsdtar --format ustar -cf"),
        ("a.tar.gz", "bsdtar --format ustar -czf"),
        ("a.tar.bz2", "bsdtar --format ustar -cjf"),
        ("a.tar.xz", "bsdtar --format ustar -cJf"),
        ("a.7z", "bsdtar --format 7zip -cf"),
        ("a.iso", "bsdtar --format iso9660 -cf"),
        ("a.cpio", "bsdtar --format cpio -cf"),
        ("a.pax", "bsdtar --format pax -cf"),
    ]

    @Test("member digests equal sha256sum of the members bsdtar extracts, for every format written here")
    func membersMatchExtraction() throws {
        let workspace = try TemporaryDirectory("archives")
        defer { workspace.remove() }
        let source = workspace.child("src")
        try Self.makeSource(in: source)
        let evidence = workspace.child("evidence").path
        try FileManager.default.createDirectory(atPath: evidence, withIntermediateDirectories: true)
        for format in Self.formats {
            try Self.shell("cd '\(source.path)' && \(format.command) '\(evidence)/\(format.file)' readme.txt photos")
        }
        // ar holds flat names only.
        try Self.shell("cd '\(source.path)' && bsdtar --format ar -cf '\(evidence)/a.ar' readme.txt photos/small.bin")
        let (result, manifest) = try Self.scan(evidence, out: workspace.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let containers = try Self.digests(under: evidence)
        for file in Self.formats.map(\.file) + ["a.ar"] {
            let extracted = workspace.child("x-\(file)").path
            try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
            try Self.shell("bsdtar -xf '\(evidence)/\(file)' -C '\(extracted)'")
            let expected = try Self.digests(under: extracted)
            let members = Self.members(of: manifest, in: file).filter { $0.string("kind") == "file" }
            #expect(members.count == expected.count, "\(file): \(members.count) members, bsdtar extracted \(expected.count)")
            for member in members {
                var name = Self.memberName(member) ?? ""
                if name.hasPrefix("./") { name.removeFirst(2) }
                if file == "a.ar", name == "small.bin" { name = "small.bin" }
                #expect(member.object("hashes")?.string("sha256") == expected[name], "\(file): \(name)")
                #expect(member.string("status") == "ok")
            }
            let container = try #require(manifest.item(file))
            #expect(container.object("hashes")?.string("sha256") == containers[file], "container \(file) digest")
            #expect(container.object("archive")?.int("members") ?? 0 >= expected.count)
        }
    }

    @Test("three-level nesting gives the layers chain zip in tar.gz in 7z")
    func nestedLayers() throws {
        let workspace = try TemporaryDirectory("nested")
        defer { workspace.remove() }
        let w = workspace.path
        try Self.shell("""
            cd '\(w)' && mkdir -p l1 l2 l3 evidence && printf 'deepest member\\n' > l1/deep.txt \
            && (cd l1 && bsdtar --format zip -cf ../l2/inner.zip deep.txt) \
            && (cd l2 && bsdtar -czf ../l3/middle.tar.gz inner.zip) \
            && (cd l3 && bsdtar --format 7zip -cf ../evidence/outer.7z middle.tar.gz)
            """)
        let (_, manifest) = try Self.scan(workspace.child("evidence").path, out: workspace.child("out").path)
        let deep = try #require(manifest.items.first { ($0["layers"] as? [[String: Any]])?.count == 3 })
        let layers = try #require(deep["layers"] as? [[String: Any]])
        #expect(layers.map { $0.string("format") ?? "" } == ["7z", "tar.gz", "zip"])
        #expect(layers.map { $0.string("member") ?? "" } == ["middle.tar.gz", "inner.zip", "deep.txt"])
        let expected = try Self.shell("printf 'deepest member\\n' | sha256sum").stdout.prefix(64)
        #expect(deep.object("hashes")?.string("sha256") == String(expected))
        #expect(manifest.items.count == 4, "outer, middle, inner, deep")
    }

    @Test("a high-ratio bomb is cut at the expansion limit, measured on bytes produced")
    func flatBomb() throws {
        let workspace = try TemporaryDirectory("bomb")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence").path
        // 512 MiB of zeros compresses to about 0.5 MiB: a 1000:1 bomb, generated at test time.
        try Self.shell("""
            mkdir -p '\(evidence)' && python3 -c "
            import zipfile, io
            with zipfile.ZipFile('\(evidence)/bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                with z.open('zeros.bin', 'w', force_zip64=True) as m:
                    block = bytes(1 << 20)
                    for _ in range(512): m.write(block)
                z.writestr('after.txt', 'a member after the bomb')
            "
            """)
        let started = Date()
        let (result, manifest) = try Self.scan(evidence, out: workspace.child("out").path)
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(result.exitCode == 0)
        let zeros = try #require(Self.members(of: manifest, in: "bomb.zip").first { Self.memberName($0) == "zeros.bin" })
        #expect(zeros.string("status") == "limit")
        #expect(zeros.string("reason")?.hasPrefix("expansion_ratio:") == true, "\(zeros.string("reason") ?? "")")
        #expect(zeros.object("hashes") == nil)
        let container = try #require(manifest.item("bomb.zip"))
        #expect(container.string("status") == "limit")
        #expect(container.object("hashes")?.string("sha256") != nil, "the container itself is hashed in full")
        #expect(manifest.summary.object("limits_hit")?.int("expansion_ratio") == 2)
    }

    @Test("a nested bomb (42.zip style) stops at the outermost archive's allowance")
    func nestedBomb() throws {
        let workspace = try TemporaryDirectory("nested-bomb")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence").path
        // Level 0: 16 MiB of zeros; each level holds 16 deflated copies of the one below; 5 levels:
        // about 1 TiB when fully expanded, a few hundred KiB on disk.
        try Self.shell("""
            mkdir -p '\(evidence)' && python3 -c "
            import zipfile, io
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('zeros.bin', bytes(16 << 20))
            data = inner.getvalue()
            for level in range(4):
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
                    for copy in range(16): z.writestr('l%d-%02d.zip' % (level, copy), data)
                data = buf.getvalue()
            open('\(evidence)/42.zip', 'wb').write(data)
            "
            """)
        let started = Date()
        let (result, manifest) = try Self.scan(evidence, out: workspace.child("out").path)
        #expect(Date().timeIntervalSince(started) < 60, "bounded time")
        #expect(result.exitCode == 0)
        let limited = manifest.items.filter { $0.string("status") == "limit" }
        #expect(!limited.isEmpty)
        #expect(manifest.items.count < 2_000, "the walk stops expanding once the budget is spent")
        #expect(manifest.item("42.zip")?.string("status") == "limit")
    }

    @Test("archive depth limit: deeper containers are hashed but not opened")
    func depthLimit() throws {
        let workspace = try TemporaryDirectory("depth")
        defer { workspace.remove() }
        let w = workspace.path
        try Self.shell("""
            cd '\(w)' && mkdir evidence && printf 'x\\n' > x.txt && bsdtar --format zip -cf d1.zip x.txt \
            && bsdtar --format zip -cf d2.zip d1.zip && bsdtar --format zip -cf evidence/d3.zip d2.zip
            """)
        let (_, manifest) = try Self.scan(workspace.child("evidence").path, out: workspace.child("out").path, ["--archive-depth", "2"])
        let d1 = try #require(manifest.items.first { Self.memberName($0) == "d1.zip" })
        #expect(d1.string("status") == "limit")
        #expect(d1.string("reason")?.hasPrefix("archive_depth:") == true)
        #expect(d1.object("hashes")?.string("sha256") != nil)
        #expect(!manifest.items.contains { Self.memberName($0) == "x.txt" })
        let (_, off) = try Self.scan(workspace.child("evidence").path, out: workspace.child("out2").path, ["--no-archives"])
        #expect(off.items.count == 1)
    }

    @Test("hostile member names are data: traversal, absolute, duplicate, empty-ish and non-UTF-8")
    func hostileNames() throws {
        let workspace = try TemporaryDirectory("names")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence").path
        try Self.shell("""
            mkdir -p '\(evidence)' && python3 -c "
            import tarfile, io
            names = [b'../../escape.txt', b'/etc/passwd-copy', b'dup.txt', b'dup.txt', b'bad-\\xff\\xfe.txt', b'./']
            with tarfile.open('\(evidence)/names.tar', 'w', format=tarfile.GNU_FORMAT, encoding='utf-8', errors='surrogateescape') as t:
                for i, raw in enumerate(names):
                    info = tarfile.TarInfo(raw.decode('utf-8', 'surrogateescape'))
                    data = b'member %d' % i
                    info.size = len(data); info.mtime = 0
                    if raw.endswith(b'/'): info.type = tarfile.DIRTYPE; info.size = 0; data = b''
                    t.addfile(info, io.BytesIO(data))
            "
            """)
        let tmp = workspace.child("tmp").path
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmp
        let result = try ProcessRunner.blindfold(["scan", evidence, "--out", workspace.child("out").path], environment: environment)
        #expect(result.exitCode == 0)
        let manifest = try ParsedManifest(directory: workspace.child("out"))
        let names = Self.members(of: manifest, in: "names.tar").compactMap(Self.memberName)
        #expect(names.contains("../../escape.txt"))
        #expect(names.contains("/etc/passwd-copy"))
        #expect(names.filter { $0 == "dup.txt" }.count == 2)
        let odd = try #require(Self.members(of: manifest, in: "names.tar").first { Self.memberName($0)?.hasPrefix("bad-") == true })
        let layer = try #require((odd["layers"] as? [[String: Any]])?.last)
        #expect(layer.string("member") == "bad-\\xff\\xfe.txt")
        #expect(Data(base64Encoded: layer.string("member_b64") ?? "").map(Array.init) == Array("bad-".utf8) + [0xFF, 0xFE] + Array(".txt".utf8))
        // Nothing resolved against the disk, nothing written anywhere but --out.
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/escape.txt"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/passwd-copy"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty, "TMPDIR stays empty")
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/../../escape.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path).sorted() == ["evidence", "out", "tmp"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: evidence) == ["names.tar"])
    }

    @Test("an encrypted member is recorded as encrypted and the rest of the archive is still read")
    func encryptedMember() throws {
        let workspace = try TemporaryDirectory("encrypted")
        defer { workspace.remove() }
        let w = workspace.path
        try Self.shell("""
            cd '\(w)' && mkdir evidence && printf 'locked\\n' > locked.txt && printf 'open\\n' > open.txt \
            && zip -q -P secret evidence/mixed.zip locked.txt && zip -q evidence/mixed.zip open.txt
            """)
        let (_, manifest) = try Self.scan(workspace.child("evidence").path, out: workspace.child("out").path)
        let members = Self.members(of: manifest, in: "mixed.zip")
        let locked = try #require(members.first { Self.memberName($0) == "locked.txt" })
        #expect(locked.string("status") == "encrypted")
        #expect(locked.object("hashes") == nil)
        let open = try #require(members.first { Self.memberName($0) == "open.txt" })
        #expect(open.string("status") == "ok")
        let expected = try Self.shell("printf 'open\\n' | sha256sum").stdout.prefix(64)
        #expect(open.object("hashes")?.string("sha256") == String(expected))
    }

    @Test("7z with encrypted data and with encrypted headers: members or the archive say encrypted")
    func encrypted7z() throws {
        let workspace = try TemporaryDirectory("encrypted-7z")
        defer { workspace.remove() }
        let w = workspace.path
        try Self.shell("""
            cd '\(w)' && mkdir evidence && printf 'one\\n' > one.txt && printf 'two\\n' > two.txt \
            && 7z a -psecret evidence/data.7z one.txt two.txt >/dev/null \
            && 7z a -psecret -mhe=on evidence/headers.7z one.txt two.txt >/dev/null \
            && printf 'plain\\n' > evidence/plain.txt
            """)
        let (result, manifest) = try Self.scan(workspace.child("evidence").path, out: workspace.child("out").path)
        #expect(result.exitCode == 0)
        let data = Self.members(of: manifest, in: "data.7z")
        #expect(data.count == 2)
        #expect(data.allSatisfy { $0.string("status") == "encrypted" && $0.object("hashes") == nil })
        let headers = try #require(manifest.item("headers.7z"))
        #expect(headers.string("status") == "encrypted")
        #expect(headers.object("hashes")?.string("sha256") != nil, "the container's own bytes are still hashed")
        #expect(Self.members(of: manifest, in: "headers.7z").isEmpty)
        #expect(manifest.item("plain.txt")?.string("status") == "ok", "the scan goes on")
    }

    @Test("a truncated archive keeps the members read before the damage; the damaged one says so")
    func truncatedArchive() throws {
        let workspace = try TemporaryDirectory("truncated")
        defer { workspace.remove() }
        let source = workspace.child("src")
        try Self.makeSource(in: source)
        let evidence = workspace.child("evidence").path
        try Self.shell("""
            mkdir -p '\(evidence)' && cd '\(source.path)' && bsdtar --format ustar -czf ../whole.tar.gz readme.txt photos/2024/img.bin \
            && head -c 100000 ../whole.tar.gz > '\(evidence)/cut.tar.gz'
            """)
        let (result, manifest) = try Self.scan(evidence, out: workspace.child("out").path)
        #expect(result.exitCode == 0)
        let members = Self.members(of: manifest, in: "cut.tar.gz")
        let readme = try #require(members.first { Self.memberName($0) == "readme.txt" })
        #expect(readme.string("status") == "ok")
        let image = try #require(members.first { Self.memberName($0) == "photos/2024/img.bin" })
        #expect(["truncated", "corrupt"].contains(image.string("status") ?? ""), "\(image)")
        #expect(image.object("hashes") == nil)
        let container = try #require(manifest.item("cut.tar.gz"))
        #expect(["truncated", "corrupt"].contains(container.string("status") ?? ""))
        #expect(container.string("reason")?.isEmpty == false)
        let digest = try Self.shell("sha256sum '\(evidence)/cut.tar.gz'").stdout.prefix(64)
        #expect(container.object("hashes")?.string("sha256") == String(digest), "damaged containers keep their own digests")
    }

    @Test("a multi-gigabyte member streams in constant memory")
    func hugeMember() throws {
        let workspace = try TemporaryDirectory("huge")
        defer { workspace.remove() }
        let w = workspace.path
        // A 3 GiB sparse file stored sparse in a pax archive: tiny on disk, 3 GiB when read.
        try Self.shell("""
            cd '\(w)' && mkdir evidence && truncate -s 3G big.img && printf 'tail' >> big.img \
            && truncate -s 100M hole.img && bsdtar --format pax -cf evidence/sparse.tar big.img hole.img
            """)
        // GNU time reports the scan's own peak resident memory.
        let result = try ProcessRunner.run("/usr/bin/time", [
            "-f", "peak-rss-kib %M", TestEnvironment.binary.path,
            "scan", workspace.child("evidence").path, "--out", workspace.child("out").path,
            "--expansion-ratio", "100000000", "--plugins", "sha256",
        ])
        #expect(result.exitCode == 0)
        let peak = result.stderrLines.last { $0.hasPrefix("peak-rss-kib ") }.flatMap { Int($0.dropFirst(13)) }
        #expect((peak ?? Int.max) < 200_000, "peak RSS \(peak ?? -1) KiB while streaming 3 GiB")
        let manifest = try ParsedManifest(directory: workspace.child("out"))
        let member = try #require(Self.members(of: manifest, in: "sparse.tar").first { Self.memberName($0) == "big.img" })
        let expected = try Self.shell("sha256sum '\(w)/big.img'").stdout.prefix(64)
        #expect(member.object("hashes")?.string("sha256") == String(expected))
        #expect(member.int("size") == (3 << 30) + 4)
        // A member that is one hole from start to end: its zeros are produced too.
        let hole = try #require(Self.members(of: manifest, in: "sparse.tar").first { Self.memberName($0) == "hole.img" })
        let holeDigest = try Self.shell("sha256sum '\(w)/hole.img'").stdout.prefix(64)
        #expect(hole.object("hashes")?.string("sha256") == String(holeDigest))
        #expect(hole.int("size") == 100 << 20)
    }
}

/// Deterministic pseudo-random bytes (xorshift64*), for fixtures made at test time.
struct SeededBytes {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56)
        }
    }
}
