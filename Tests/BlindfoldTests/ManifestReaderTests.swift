import BlindfoldCore
import BuildInfo
import CryptoHashes
import Foundation
import KnownHashes
import Manifest
@testable import Scanner
import Signals
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The typed manifest reader: what it reads writes back byte for byte, keeps field order and
/// unknown fields, and the header the scanner builds encodes exactly as before.
@Suite("Manifest reader")
struct ManifestReaderTests {
    /// Every line of `manifest` read and written back.
    static func roundTrip(_ manifest: URL) throws -> (lines: [String], rewritten: [String]) {
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        var multipleRoots = false
        let rewritten = try lines.map { line -> String in
            switch try ManifestReader.line(Array(line.utf8)) {
            case .header(let header):
                multipleRoots = header.roots.count > 1
                return header.manifestJSON.serialized
            case .item(let item): return item.manifestJSON(multipleRoots: multipleRoots).serialized
            case .summary(let summary): return summary.manifestJSON.serialized
            }
        }
        return (lines, rewritten)
    }

    @Test("every line of real scans (names that are not UTF-8, links, archives, absurd times, matches) reads back byte for byte")
    func roundTripsRealScans() throws {
        let workspace = try TemporaryDirectory("reader")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ArchiveTests.shell("""
            cd '\(root.path)' && printf 'plain\\n' > "$(printf 'caf\\351.txt')" \
            && ln -s "$(printf 'gone-\\377')" dangling && mkfifo pipe \
            && printf 'inner\\n' > inner.txt && bsdtar --format zip -cf bundle.zip inner.txt && rm inner.txt \
            && python3 -c "
            import tarfile, io
            with tarfile.open('times.tar', 'w', format=tarfile.PAX_FORMAT) as t:
                info = tarfile.TarInfo('future.txt'); data = b'from the far future'
                info.size = len(data); info.pax_headers = {'mtime': '67768036191676799'}
                t.addfile(info, io.BytesIO(data))
            "
            """)
        let single = workspace.child("single")
        let scan = try ProcessRunner.blindfold(["scan", root.path, "--out", single.path, "--in-process"])
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        let multiple = workspace.child("multiple")
        let fixtures = try ProcessRunner.blindfold(
            ["scan", TestEnvironment.evidence.path, root.path, "--out", multiple.path, "--pdq-dihedral", "--phash", "--in-process"]
                + TestEnvironment.fixtureSetArguments)
        #expect(fixtures.exitCode == 1, "the fixtures hold known-bad items: \(fixtures.stderr)")
        for output in [single, multiple] {
            let (lines, rewritten) = try Self.roundTrip(output.appendingPathComponent("manifest.jsonl"))
            #expect(lines.count > 5)
            for (line, again) in zip(lines, rewritten) { #expect(again == line) }
        }
        let text = try String(contentsOf: single.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        #expect(text.contains("\"path_b64\":"), "the tree has a name that is not UTF-8")
        #expect(text.contains("\"target_b64\":"), "and a link target that is not UTF-8")
        #expect(text.contains("-12-31T"), "and an absurd archive time")
    }

    @Test("hash keys stay in file order and unknown fields stay where they were")
    func keepsOrderAndUnknownFields() throws {
        let line = #"{"record":"item","path":"a.bin","later":{"x":[1,2.5,null]},"kind":"file","size":3,"mtime":"2001-02-03T04:05:06Z","#
            + #""hashes":{"zeta":"00","sha256":"ab","alpha":7,"list":["01","02"]},"plugin_errors":{"z":"corrupt: bad","a":"limit: big"},"#
            + #""status":"ok","trailing":true}"#
        guard case .item(let item) = try ManifestReader.line(Array(line.utf8)) else {
            Issue.record("not read as an item")
            return
        }
        #expect(item.record.hashes.map(\.key) == ["zeta", "sha256", "alpha", "list"])
        #expect(item.record.hash("alpha") == .integer(7))
        #expect(item.record.hash("list") == .hexList(["01", "02"]))
        #expect(item.record.pluginErrors.map(\.plugin) == ["z", "a"])
        #expect(item.preserved.fields.map(\.field.key) == ["later", "trailing"])
        #expect(item.manifestJSON(multipleRoots: false).serialized == line)
    }

    @Test("lines that are not the schema are refused with a reason that quotes nothing")
    func refusesBadLines() {
        let secret = "SECRET-PAYLOAD"
        let cases: [(String, ManifestReadError.Kind)] = [
            ("\(secret)", .notJSONObject),
            ("[\"\(secret)\"]", .notJSONObject),
            ("{\"record\":\"item\",\"path\":\"\(secret)\"}", .invalidRecord),
            ("{\"record\":\"item\",\"path\":\"a\",\"kind\":\"\(secret)\",\"status\":\"ok\"}", .invalidRecord),
            ("{\"record\":\"\(secret)\"}", .unknownRecord),
            ("{\"record\":\"item\",\"path\":\"\(secret)\" trailing", .notJSONObject),
            (String(repeating: "[", count: 10_000), .notJSONObject),
            ("{\"a\":\"\\ud800\"}", .notJSONObject),
        ]
        for (line, kind) in cases {
            #expect(throws: ManifestReadError.self) { try ManifestReader.line(Array(line.utf8)) }
            do {
                _ = try ManifestReader.line(Array(line.utf8))
            } catch {
                #expect(error.kind == kind, "\(error)")
                #expect(!error.description.contains(secret))
            }
        }
        #expect(throws: ManifestReadError.self) { try ManifestReader.line([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    @Test("JSON text decodes as RFC 8259 says: escapes, surrogate pairs, numbers")
    func parsesJSON() throws {
        let value = try JSONValue(parsing: Array(#" {"a" : "\u00e9\ud83d\ude00\n\"\/", "b":[-0,12,1.5e2,true,false,null], "a":{}} "#.utf8))
        #expect(value == .object([
            ("a", .string("é😀\n\"/")), ("b", .array([.int(0), .int(12), .double(150), .bool(true), .bool(false), .null])),
            ("a", .object([])),
        ]))
        for bad in ["01", "1.", "-", "\"a", "{\"a\" 1}", "[1,]", "\"\u{01}\"", "tru", "{} {}"] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(bad.utf8)) }
        }
    }

    @Test("the header the scanner builds encodes exactly as the header line always has")
    func headerBytes() throws {
        var configuration = ScanConfiguration(
            roots: [PathBytes("/evidence"), PathBytes([0x2F, 0x78, 0xFF])], outputDirectory: "/out",
            registry: try PluginRegistry(CryptoHashes.all), matcher: HashMatcher(sets: []), jobs: 2,
            toolVersion: "9.9")
        configuration.ioJobs = 1
        configuration.budgetSeconds = 90
        configuration.decoderWorkers = 12.5
        configuration.walkOptions.excludes = ["*.tmp"]
        configuration.signals = SignalCatalog.builtIn
        var header = configuration.header(started: Timestamp(seconds: 0, nanoseconds: 5))
        // The build object (added after the options) depends on the machine; BuildInfoTests checks it.
        #expect(header.build == BuildInfo.current.headerJSON)
        header.build = nil
        let expected = #"{"record":"scan","schema":"blindfold.manifest/1","tool":{"name":"blindfold","version":"9.9"},"#
            + #""started":"1970-01-01T00:00:00.000000005Z","roots":["/evidence","/x\\xff"],"#
            + #""plugins":[{"id":"md5","version":"1"},{"id":"sha1","version":"1"},{"id":"sha256","version":"1"}],"hashsets":[],"#
            + #""limits":{"archive_depth":8,"expansion_ratio":100,"expansion_bytes":68719476736,"#
            + #""expansion_ratio_floor":67108864,"member_name_bytes":4096,"entries_per_archive":1000000,"#
            + #""seekable_archive_bytes":268435456,"image_pixels":100000000},"#
            + #""options":{"jobs":2,"io_jobs":1,"chunk_bytes":1048576,"excludes":["*.tmp"],"cross_filesystems":false,"#
            + #""archives":true,"order":"walk","budget_s":90,"sniff":true,"sniff_bytes":65536,"sniff_profile":"standard","#
            + #""pdq_distance":31,"pdq_quality":50,"pdq_dihedral":false,"#
            + #""vpdq_distance":31,"vpdq_quality":50,"vpdq_query_match":"80","vpdq_compared_match":"0","#
            + #""skip_known_good":true,"decoders":"workers","#
            + #""item_timeout_s":12.5,"containers":"in-process","#
            + #""carve":true,"carve_max_bytes":67108864,"carve_max_video_bytes":4294967296}}"#
        #expect(header.manifestJSON.serialized == expected)
        #expect(try ScanHeader(manifestJSON: JSONValue(parsing: Array(expected.utf8))) == header)
    }

    @Test("a plugin's own options are an ordered object after its version, and read back")
    func pluginOptions() throws {
        let plugin = ScanHeader.Plugin(id: "pdq", version: "1", options: [JSONField("distance", .int(31)), JSONField("dihedral", .bool(false))])
        let text = plugin.manifestJSON.serialized
        #expect(text == #"{"id":"pdq","version":"1","options":{"distance":31,"dihedral":false}}"#)
        #expect(try ScanHeader.Plugin(manifestJSON: JSONValue(parsing: Array(text.utf8))) == plugin)
        #expect(ScanHeader.Plugin(id: "md5", version: "1").manifestJSON.serialized == #"{"id":"md5","version":"1"}"#)
    }

    @Test("a resumed run goes at the end of the header, after any field this version does not know")
    func resumedRuns() throws {
        let line = #"{"record":"scan","schema":"blindfold.manifest/1","tool":{"name":"blindfold","version":"1"},"#
            + #""started":"2026-01-02T03:04:05Z","roots":["/e"],"plugins":[],"hashsets":[],"limits":{},"options":{},"extra":1}"#
        guard case .header(var header) = try ManifestReader.line(Array(line.utf8)) else {
            Issue.record("not read as a header")
            return
        }
        #expect(header.manifestJSON.serialized == line)
        header.resumed.append(Timestamp(seconds: 1))
        let once = header.manifestJSON.serialized
        #expect(once == String(line.dropLast()) + #","resumed":[{"started":"1970-01-01T00:00:01Z"}]}"#)
        guard case .header(var again) = try ManifestReader.line(Array(once.utf8)) else { return }
        again.resumed.append(Timestamp(seconds: 2))
        #expect(again.manifestJSON.serialized.hasSuffix(#""extra":1,"resumed":[{"started":"1970-01-01T00:00:01Z"},{"started":"1970-01-01T00:00:02Z"}]}"#))
    }
}
