import BlindfoldCore
import Evidence
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Member names through libarchive's charsets and libarchive's warnings as notes (#13,
/// findings 4 and 5), on archives `Tests/Tools/make_archive_findings.py` writes byte by byte.
/// Expected names and digests come from that script (Python's hashlib), not from Blindfold.
@Suite("Archive findings: member names and warnings")
struct ArchiveFindingsTests {
    /// One expected member: its stored name (nil: not decodable), data digest, note kinds.
    struct Expected {
        var name: [UInt8]?
        var sha256: String
        var notes: [String]
    }

    /// Writes the archives into `directory`; returns what each must list, by file name.
    static func generate(into directory: String) throws -> [String: [Expected]] {
        let script = TestEnvironment.repository.appendingPathComponent("Tests/Tools/make_archive_findings.py").path
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", script, directory])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("expected.json"))
        try FileManager.default.removeItem(atPath: directory + "/expected.json")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[String: Any]]])
        return object.mapValues { members in
            members.map { member in
                Expected(
                    name: (member["name_b64"] as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) },
                    sha256: member["sha256"] as? String ?? "", notes: member["notes"] as? [String] ?? [])
            }
        }
    }

    /// The stored bytes of a member's name as the manifest gives them (`member_b64` when not UTF-8).
    static func storedName(_ item: [String: Any]) -> [UInt8]? {
        guard let layer = (item["layers"] as? [[String: Any]])?.last else { return nil }
        if let encoded = layer["member_b64"] as? String { return Data(base64Encoded: encoded).map { Array($0) } }
        return (layer["member"] as? String).map { Array($0.utf8) }
    }

    @Test("every member keeps its name (UTF-8, raw bytes, CP932, UTF-16) and digest; warnings become notes")
    func namesAndWarnings() throws {
        let workspace = try TemporaryDirectory("archive-findings")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence").path
        let expected = try Self.generate(into: evidence)
        #expect(expected.count == 10)
        let (result, manifest) = try ArchiveTests.scan(evidence, out: workspace.child("out").path)
        #expect(result.exitCode == 0, "\(result.stderr)")
        for (file, members) in expected.sorted(by: { $0.key < $1.key }) {
            let container = try #require(manifest.item(file), "\(file) recorded")
            #expect(container.string("status") == "ok", "\(file): \(container.string("reason") ?? "")")
            let listed = ArchiveTests.members(of: manifest, in: file)
            #expect(listed.count == members.count, "\(file): \(listed.count) members")
            for (index, (item, want)) in zip(listed, members).enumerated() {
                let label = "\(file) member \(index + 1)"
                #expect(item.string("status") == "ok", "\(label): \(item.string("reason") ?? "")")
                #expect(item.object("hashes")?.string("sha256") == want.sha256, "\(label)")
                let name = try #require(Self.storedName(item), "\(label) has a name")
                #expect(!name.isEmpty, "\(label): never an empty name")
                #expect(name == (want.name ?? Array(ArchiveReader.undecodableName(index + 1).utf8)), "\(label)")
                let kinds = (item["notes"] as? [String] ?? []).map { String($0.prefix { $0 != ":" }) }
                #expect(kinds == want.notes, "\(label): notes \(kinds)")
            }
        }
        // Names that are valid UTF-8 are written as text, the others with their exact bytes.
        let raw = try #require(ArchiveTests.members(of: manifest, in: "names-raw.tar").first)
        #expect(ArchiveTests.memberName(raw) == "raw\\xff\\xfename.txt")
        let japanese = try #require(ArchiveTests.members(of: manifest, in: "names-cp932.lzh").first)
        #expect(ArchiveTests.memberName(japanese) == "日本語.txt")
        #expect((japanese["layers"] as? [[String: Any]])?.last?["member_b64"] == nil)
    }

    @Test("names are converted on the reader's thread only: this test process never set a locale")
    func threadLocale() throws {
        let workspace = try TemporaryDirectory("archive-locale")
        defer { workspace.remove() }
        _ = try Self.generate(into: workspace.path)
        let bytes = try [UInt8](Data(contentsOf: workspace.child("names-utf8-flag.zip")))
        var names: [PathBytes] = []
        try bytes.withUnsafeBytes { memory in
            let reader = try ArchiveReader(memory: memory)
            while case .entry(let entry) = reader.next() { names.append(entry.name) }
        }
        #expect(names == [PathBytes("café/naïve.txt"), PathBytes("日本語.txt")])
        // The process's own locale is untouched: still "C" for character types.
        #expect(String(cString: setlocale(LC_CTYPE, nil)) == "C")
    }

    @Test("containers are recognised by their first bytes when libmagic has no archive type for them")
    func signatures() {
        func access(_ mime: String?, _ head: [UInt8]) -> ContainerAccess? {
            head.withUnsafeBytes { ArchiveDetection.access(for: mime, head: $0) }
        }
        #expect(access("application/octet-stream", [0x50, 0x4B, 0x03, 0x04, 0x14, 0]) == .inMemoryWhenSmall(orStreamed: true, fromFileWhenLarge: true),
                "zip that libmagic calls data: both zip readers when it fits in memory")
        #expect(access("application/octet-stream", [0xED, 0xAB, 0xEE, 0xDB, 3, 0]) == .streaming, "RPM lead")
        #expect(access("text/plain", Array("WARC/1.1\r\n".utf8)) == .streaming, "WARC record")
        #expect(access("application/octet-stream", [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4]) == .seeking, "7-Zip")
        #expect(access("application/octet-stream", [0x50, 0x4B, 0x07, 0x08]) == nil)
        #expect(access("text/plain", Array("PK is not enough".utf8)) == nil)
        #expect(access(nil, [0x50, 0x4B, 0x03, 0x04]) == nil, "--no-sniff opens nothing")
        #expect(access("application/x-rpm", []) == .streaming)
        #expect(access("application/warc", []) == .streaming)
    }

    @Test("warnings map to Blindfold's own kinds, never to libarchive's text")
    func warningKinds() {
        #expect(ArchiveWarning(message: "ZIP bad CRC: 0x7cbec3a9 should be 0x83413c56") == .crcMismatch)
        #expect(ArchiveWarning(message: "ZIP uncompressed data is wrong size (read 1000, expected 100)") == .sizeMismatch)
        #expect(ArchiveWarning(message: "Pathname cannot be converted from UTF-8 to current locale.") == .nameNotConvertible)
        #expect(ArchiveWarning(message: "something new in a later libarchive: secret-name.jpg") == .otherWarning)
        for kind in ArchiveWarning.allCases {
            #expect(kind.note.hasPrefix(kind.rawValue + ": "))
            #expect(!kind.note.contains("0x"), "no offsets or values from the archive")
        }
    }
}
