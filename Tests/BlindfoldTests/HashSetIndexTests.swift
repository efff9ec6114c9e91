import BlindfoldCore
import Foundation
@testable import KnownHashes
import Testing

/// `.bfhs` indexes: same matches as the raw set, compact, checked on open, written atomically,
/// and the `hashset` commands end to end.
@Suite("Hash-set indexes")
struct HashSetIndexTests {
    static let md5A = HashSetTests.md5A
    static let sha1A = HashSetTests.sha1A
    static let sha256A = HashSetTests.sha256A
    static let sha256B = HashSetTests.sha256B

    /// Imports `text` (written as `name`) into an index in `directory`; returns both paths.
    static func importText(
        _ text: String, name: String = "set.txt", role: HashSetRole = .knownBad, in directory: TemporaryDirectory
    ) throws -> (source: String, index: String) {
        let source = try HashSetFiles.write(text, name, in: directory)
        let index = directory.child("set.bfhs").path
        _ = try HashSetImporter.run(source: source, name: name, role: role, output: index, toolVersion: "test")
        return (source, index)
    }

    @Test("an index matches exactly what the raw set matches (digests, categories, empty digest, absent)")
    func indexEqualsRaw() throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        let context = "\"@odata.context\":\"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media\""
        let text = """
            {\(context),"value":[
             {"MediaID":1,"Category":1,"MD5":"\(Self.md5A)","SHA1":"\(Self.sha1A)"},
             {"MediaID":2,"Category":"1","Series":"S","AlternativeHashes":[{"HashName":"SHA256","HashValue":"\(Self.sha256A)"}]},
             {"MediaID":3,"Category":1,"MD5":"d41d8cd98f00b204e9800998ecf8427e"},
             {"MediaID":4,"Category":2,"SHA1":"\(String(repeating: "ab", count: 20))"}]}
            """
        let (source, index) = try Self.importText(text, name: "vics.json", role: .knownBad, in: directory)
        let raw = try HashSetLoader.load(path: source, name: "vics.json", role: .knownBad)
        let indexed = try HashSetLoader.load(path: index, name: "ignored", role: .knownBad)
        #expect(indexed.info.name == "vics.json")
        #expect(indexed.info.format == "bfhs:vics-2.0")
        #expect(indexed.info.sha256 == raw.info.sha256, "an index reports its source's digest")
        #expect(indexed.info.entries == 4)
        let queries: [[HashOutput]] = [
            HashSetFiles.hashes(md5: Self.md5A, sha1: Self.sha1A, sha256: Self.sha256A),
            HashSetFiles.hashes(sha256: Self.sha256A),
            HashSetFiles.hashes(md5: "d41d8cd98f00b204e9800998ecf8427e"),
            HashSetFiles.hashes(sha1: String(repeating: "ab", count: 20)),
            HashSetFiles.hashes(md5: String(repeating: "0", count: 32), sha256: Self.sha256B),
        ]
        // Category 2 is kept and matched, and does not alert (`!`) by default.
        let expected: [[String]] = [["md5:1", "sha1:1", "sha256:1"], ["sha256:1"], [], ["sha1:2!"], []]
        for (query, expectation) in zip(queries, expected) {
            let rawMatches = raw.matches(for: query)
            #expect(indexed.matches(for: query) == rawMatches)
            #expect(rawMatches.map { "\($0.algorithm):\($0.category ?? "-")\($0.alerts ? "" : "!")" } == expectation)
        }
    }

    @Test("10,000 random SHA-1s: every one found, absent ones not, at most 24 bytes an entry")
    func randomSHA1() throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        var generator = SeededGenerator(seed: 3)
        let digests = (0..<10_000).map { _ in Hex.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        let text = digests.map { "\($0)  f" }.joined(separator: "\n") + "\n" + digests[0] + "  duplicate\n"
        let (source, index) = try Self.importText(text, name: "big.sha1", in: directory)
        let file = try IndexFile(path: index)
        #expect(file.counts == ["sha1": 10_000])
        #expect(file.metadata.sourceEntries == 10_001)
        #expect(Double(file.fileSize) / 10_000 <= 24, "\(file.fileSize) bytes")
        let indexed = try HashSetLoader.load(path: index, name: "x", role: .knownBad)
        let raw = try HashSetLoader.load(path: source, name: "big.sha1", role: .knownBad)
        for digest in digests { #expect(indexed.matches(for: HashSetFiles.hashes(sha1: digest)).count == 1) }
        for _ in 0..<1000 {
            let absent = Hex.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(indexed.matches(for: HashSetFiles.hashes(sha1: absent)) == raw.matches(for: HashSetFiles.hashes(sha1: absent)))
        }
    }

    @Test("a corrupted index is refused on open", arguments: ["flipped", "truncated", "magic", "version", "extended"])
    func corrupt(_ damage: String) throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        let (_, index) = try Self.importText("\(Self.sha256A)  a\n\(Self.sha256B)  b\n", in: directory)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index)))
        let expected: String
        switch damage {
        case "flipped":
            bytes[bytes.count - 70] ^= 0x01
            expected = "checksum mismatch"
        case "truncated":
            bytes.removeLast(64)
            expected = "truncated"
        case "magic":
            bytes[0] = UInt8(ascii: "X")
            expected = "wrong magic"
        case "version":
            bytes[8] = 9
            expected = "version 9 is not supported"
        default:
            bytes.append(0)
            expected = "truncated or extended"
        }
        try Data(bytes).write(to: URL(fileURLWithPath: index))
        let error = #expect(throws: HashSetError.self) { try IndexFile(path: index) }
        #expect(error?.reason.contains(expected) == true, "\(String(describing: error))")
        let info = try ProcessRunner.blindfold(["hashset", "info", index])
        #expect(info.exitCode == 2)
        #expect(info.stderrLines.count == 1)
        #expect(info.stdout.isEmpty)
        let scan = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", directory.child("out").path, "--known-bad", index])
        #expect(scan.exitCode == 2)
        #expect(!FileManager.default.fileExists(atPath: directory.child("out").path))
    }

    @Test("a failing import leaves nothing behind and keeps an existing output file")
    func atomicImport() throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        let bad = try HashSetFiles.write("\(Self.sha256A)  a\nnot a checksum line\n", "bad.sha256", in: directory)
        let output = directory.child("out.bfhs").path
        let failed = try ProcessRunner.blindfold(["hashset", "import", bad, "--name", "x", "--role", "known-bad", "-o", output])
        #expect(failed.exitCode == 2)
        #expect(failed.stderrLines == ["blindfold: error: hashset import: \(bad):2: not a checksum line: expected '<hex digest>  <name>'"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["bad.sha256"])

        try Data("keep".utf8).write(to: URL(fileURLWithPath: output))
        _ = try ProcessRunner.blindfold(["hashset", "import", bad, "--name", "x", "--role", "known-bad", "-o", output])
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["bad.sha256", "out.bfhs"])
    }

    @Test("hashset info prints name, role, source, counts, categories and creation time")
    func infoOutput() throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        let source = TestEnvironment.hashsets.appendingPathComponent("known-good.hashdeep").path
        let index = directory.child("good.bfhs").path
        let imported = try ProcessRunner.blindfold(["hashset", "import", source, "--name", "good", "--role", "known-good", "-o", index])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let info = try ProcessRunner.blindfold(["hashset", "info", index])
        #expect(info.exitCode == 0)
        let lines = info.stdout.split(separator: "\n").map(String.init)
        let digest = try ProcessRunner.run("/usr/bin/env", ["sha256sum", source]).stdout.prefix(64)
        #expect(lines.contains("name: good"))
        #expect(lines.contains("role: known-good"))
        #expect(lines.contains("source format: hashdeep"))
        #expect(lines.contains("source sha256: \(digest)"))
        let raw = try HashSetLoader.load(path: source, name: "good", role: .knownGood)
        #expect(lines.contains("source entries: \(raw.info.entries)"))
        for (algorithm, count) in (raw as? ExactHashSet)?.counts ?? [:] { #expect(lines.contains("\(algorithm.rawValue): \(count)")) }
        #expect(lines.contains { $0.hasPrefix("categories: (none) ") })
        let created = try #require(lines.first { $0.hasPrefix("created: ") }?.dropFirst("created: ".count))
        #expect(Timestamp(rfc3339: String(created)) != nil)
        let size = try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int
        #expect(lines.contains("index bytes: \(size ?? -1)"))
    }

    @Test("an index passed with the other role is refused")
    func wrongRole() throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        let (_, index) = try Self.importText("\(Self.sha256A)  a\n", role: .knownBad, in: directory)
        let error = #expect(throws: HashSetError.self) { try HashSetLoader.load(path: index, name: "x", role: .knownGood) }
        #expect(error?.reason.contains("pass it with --known-bad") == true)
    }

    @Test("end to end: a scan with the imported index finds what the raw list finds")
    func scanWithIndex() throws {
        let directory = try TemporaryDirectory("index")
        defer { directory.remove() }
        let list = TestEnvironment.hashsets.appendingPathComponent("known-bad.sha256").path
        let index = directory.child("known-bad.bfhs").path
        let imported = try ProcessRunner.blindfold(["hashset", "import", list, "--name", "known-bad.sha256", "--role", "known-bad", "-o", index])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let withIndex = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", directory.child("a").path, "--known-bad", index])
        let withList = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", directory.child("b").path, "--known-bad", list])
        #expect(withIndex.exitCode == 1 && withList.exitCode == 1)
        let a = try ParsedManifest(directory: directory.child("a"))
        let b = try ParsedManifest(directory: directory.child("b"))
        #expect(a.itemLines == b.itemLines)
        #expect(a.itemLines.contains { $0.contains("\"set\":\"known-bad.sha256\"") })
        let sets = try #require(a.header["hashsets"] as? [[String: Any]])
        let listed = try #require(b.header["hashsets"] as? [[String: Any]])
        #expect(sets.first?.string("format") == "bfhs:sha256sum")
        #expect(sets.first?.string("sha256") == listed.first?.string("sha256"))
        #expect(sets.first?.int("entries") == listed.first?.int("entries"))
    }
}
