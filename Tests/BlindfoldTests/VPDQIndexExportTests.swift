import BlindfoldCore
import Foundation
@testable import KnownHashes
import Signals
import Testing

/// vPDQ lists imported into `.bfhs` indexes match exactly as the text lists do; the DFXML and
/// VICS exports carry a video's frame file by path and SHA-256.
@Suite("vPDQ indexes and exports", .serialized)
struct VPDQIndexExportTests {
    static let a = VPDQMatchingTests.hash(11), b = VPDQMatchingTests.hash(12), c = VPDQMatchingTests.hash(13)
    static let d = VPDQMatchingTests.hash(14), e = VPDQMatchingTests.hash(15), f = VPDQMatchingTests.hash(16)
    static let low = VPDQMatchingTests.hash(17), unrelated = VPDQMatchingTests.hash(18)

    /// Two listed videos written as the reference writes them: `a.txt` holds a, b, c, d, a
    /// again and a frame of quality 40 (the comparison drops both); `b.txt` holds e and f.
    static func writeLists(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = [a, b, c, d, a].enumerated().map { VPDQMatchingTests.feature($0.offset * 25, $0.element) }
            + [VPDQMatchingTests.feature(150, low, quality: 40)]
        try Data(VPDQText.text(first).utf8).write(to: folder.appendingPathComponent("a.txt"))
        let second = [e, f].enumerated().map { VPDQMatchingTests.feature($0.offset * 30, $0.element) }
        try Data(VPDQText.text(second).utf8).write(to: folder.appendingPathComponent("b.txt"))
    }

    static func query(_ hashes: [PDQHash]) -> [HashOutput] {
        [HashOutput(key: VPDQSignal.Key.features, value: .text(VPDQText.text(hashes.enumerated().map { VPDQMatchingTests.feature($0.offset, $0.element) })))]
    }

    @Test("A folder of vPDQ lists imported into a .bfhs index gives the text lists' matches and percentages (computed by hand)")
    func indexMatchesLikeText() throws {
        let work = try TemporaryDirectory("vpdq-index")
        defer { work.remove() }
        let lists = work.child("lists")
        try Self.writeLists(in: lists)
        let index = work.child("videos.bfhs").path
        let summary = try HashSetImporter.run(source: lists.path, name: "videos", role: .knownBad, output: index, toolVersion: "test")
        #expect(summary.counts == ["vpdq_videos": 2, "vpdq_frames": 8])
        let opened = try IndexFile(path: index)
        #expect(opened.counts == ["vpdq_videos": 2, "vpdq_frames": 8] && opened.metadata.sourceFormat == "vpdq")

        // 50% query and compared match: a exact and b at 31 bits match; c at 32 bits and the
        // unrelated frame do not (4 query frames); of a.txt's 4 frames that count, a and b match.
        let lenient = VPDQComparison(maxDistance: 31, qualityFloor: 50, queryMatchPercent: 50, comparedMatchPercent: 50)
        let text = try HashSetLoader.load(path: lists.path, name: "videos", role: .knownBad, vpdqPolicy: lenient)
        let indexed = try HashSetLoader.load(path: index, name: "ignored", role: .knownBad, vpdqPolicy: lenient)
        #expect(indexed.info.sha256 == text.info.sha256 && indexed.info.format == "bfhs:vpdq" && indexed.info.entries == 2)
        let partial = Self.query([Self.a, VPDQMatchingTests.flipped(Self.b, 31), VPDQMatchingTests.flipped(Self.c, 32), Self.unrelated])
        let expected = [Match(set: "videos", role: .knownBad, algorithm: "vpdq", category: "a.txt", queryPercent: 50, comparedPercent: 50)]
        #expect(text.matches(for: partial) == expected)
        #expect(indexed.matches(for: partial) == expected)
        // b.txt in full: 100 and 100; under the standard 80% the partial query matches nothing.
        let whole = Self.query([Self.e, Self.f])
        #expect(indexed.matches(for: whole) == [Match(set: "videos", role: .knownBad, algorithm: "vpdq", category: "b.txt", queryPercent: 100, comparedPercent: 100)])
        #expect(indexed.matches(for: whole) == text.matches(for: whole))
        let standard = try HashSetLoader.load(path: index, name: "videos", role: .knownBad)
        #expect(standard.matches(for: partial).isEmpty)
        // A vPDQ index passed as the other role is refused, as any index is.
        #expect(throws: HashSetError.self) { try HashSetLoader.load(path: index, name: "videos", role: .knownGood) }
    }

    @Test("Through the binary: hashset import of a scan's frame file, the same match from the .bfhs as from the list; DFXML (xmllint) and VICS carry the frame file",
          .enabled(if: SyntheticVideo.ffmpegAvailable, "ffmpeg is not installed (bash .ci/install-deps)"))
    func scanIndexAndExports() throws {
        let work = try TemporaryDirectory("vpdq-exports")
        defer { work.remove() }
        let root = work.child("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let video = try SyntheticVideo.corpus[0].make(in: root)
        let first = try VPDQScanTests.scan(root, work.child("first"))
        let reference = try #require(first.item(video.lastPathComponent)?["vpdq"] as? [String: Any])
        let frameFile = try #require(reference["file"] as? String)
        let lists = work.child("lists")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: work.child("first").appendingPathComponent(frameFile), to: lists.appendingPathComponent("known.vpdq.txt"))
        let index = work.child("known.bfhs").path
        let imported = try ProcessRunner.blindfold(["hashset", "import", lists.path, "--name", "lists", "--role", "known-bad", "-o", index])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("vpdq_frames 4, vpdq_videos 1"), "\(imported.stdout)")

        let fromList = try VPDQScanTests.scan(root, work.child("list"), ["--known-bad", lists.path])
        let fromIndex = try VPDQScanTests.scan(root, work.child("index"), ["--known-bad", index])
        let listMatches = try #require(fromList.item(video.lastPathComponent)?["matches"] as? [[String: Any]])
        let indexMatches = try #require(fromIndex.item(video.lastPathComponent)?["matches"] as? [[String: Any]])
        #expect(listMatches.count == 1 && listMatches.first?["query_match"] as? Double == 100)
        #expect(listMatches.first?["category"] as? String == "known.vpdq.txt")
        #expect(NSArray(array: listMatches).isEqual(to: indexMatches), "\(listMatches) \(indexMatches)")
        // The header names the same set (the list's digest), read from the index.
        let listSet = try #require((fromList.header["hashsets"] as? [[String: Any]])?.first)
        let indexSet = try #require((fromIndex.header["hashsets"] as? [[String: Any]])?.first)
        #expect(listSet["sha256"] as? String == indexSet["sha256"] as? String && indexSet["format"] as? String == "bfhs:vpdq")

        // DFXML: the frame file by path, SHA-256 and frame count, valid against the schema.
        let manifestPath = work.child("index").appendingPathComponent("manifest.jsonl").path
        let xml = work.child("items.dfxml").path
        #expect(try ProcessRunner.blindfold(["export", manifestPath, "--format", "dfxml", "-o", xml]).exitCode == 0)
        // Valid against the shared DFXML schema when it is beside the repository; well-formed
        // XML in any case.
        let schema = ExportVerifyTests.schema.path
        let lint = try ProcessRunner.run(
            "/usr/bin/xmllint", FileManager.default.fileExists(atPath: schema) ? ["--noout", "--schema", schema, xml] : ["--noout", xml])
        #expect(lint.exitCode == 0, "\(lint.stderr)")
        let dfxml = try String(contentsOfFile: xml, encoding: .utf8)
        let digest = try #require(reference["sha256"] as? String)
        #expect(dfxml.contains("<blindfold:vpdq file=\"\(frameFile)\" sha256=\"\(digest)\" frames=\"4\"/>"))
        #expect(try VPDQScanTests.sha256(work.child("index").appendingPathComponent(frameFile)) == digest)

        // VICS: the frame file's SHA-256 as an AlternativeHashes entry, path and count in Comments.
        let vicsPath = work.child("items.vics.json").path
        #expect(try ProcessRunner.blindfold(["export", manifestPath, "--format", "vics", "-o", vicsPath]).exitCode == 0)
        let vics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: vicsPath))) as? [String: Any])
        let media = try #require(((vics["value"] as? [[String: Any]])?.first?["Media"] as? [[String: Any]])?.first)
        let alternatives = try #require(media["AlternativeHashes"] as? [[String: Any]])
        #expect(alternatives.contains { $0["HashName"] as? String == "vpdq-file-sha256" && $0["HashValue"] as? String == digest })
        #expect((media["Comments"] as? String)?.hasSuffix("vpdq: 4 frames in \(frameFile)") == true, "\(String(describing: media["Comments"]))")
    }
}
