import CMagic
@testable import Evidence
import Foundation
import Testing

/// Issue #13: text planted in every header libmagic prints (EXIF, TIFF names, ID3, ZIP comment,
/// ISO label, gzip name, Vim swap, shebang, .url, qcow2, ARJ, u-boot, kernel, VDI, HDD Raw Copy,
/// Xilinx) reaches no manifest field but the paths, no export and not the report.
@Suite("Description leaks")
struct DescriptionLeakTests {
    static let planted = "ZQXLEAK7"

    /// Every run of four characters of the planted text.
    static let windows: [String] = {
        let characters = Array(planted)
        return (0...(characters.count - 4)).map { String(characters[$0..<($0 + 4)]) }
    }()

    static func leaks(in text: String) -> [String] { windows.filter { text.contains($0) } }

    @Test("the fixtures do put the text into libmagic's raw descriptions")
    func fixturesExerciseLibmagic() throws {
        let workspace = try TemporaryDirectory("leak-fixtures")
        defer { workspace.remove() }
        try Self.makeFixtures(in: workspace.url)
        let raw = try MagicCookie(flags: MAGIC_NO_CHECK_COMPRESS | MAGIC_RAW)
        let sniffer = try TypeSniffer()
        var quoted = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: workspace.path).sorted() {
            let bytes = Array(try Data(contentsOf: workspace.child(name)))
            let before = bytes.withUnsafeBytes { raw.identify($0) } ?? ""
            if !Self.leaks(in: before).isEmpty { quoted += 1 }
            let after = bytes.withUnsafeBytes { sniffer.sniff($0) }.description
            #expect(Self.leaks(in: after).isEmpty, "\(name): \(after)")
            #expect(!after.isEmpty && after != "data" || before.hasPrefix("data"), "\(name) lost its type: \(after)")
        }
        // All but the ZIP comment, the PDF properties and the ID3 tags (which this libmagic does
        // not print) reach the raw description.
        #expect(quoted >= 14, "only \(quoted) fixtures put the text into libmagic's description")
    }

    @Test("no manifest field but the paths, no export and not the report hold the planted text")
    func scanAndExportsAreClean() throws {
        let workspace = try TemporaryDirectory("leak-scan")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence")
        try Self.makeFixtures(in: evidence)
        let out = workspace.child("out")
        let scan = try ProcessRunner.blindfold(["scan", evidence.path, "--out", out.path])
        #expect(scan.exitCode == 0, "\(scan.stderr)")
        #expect(Self.leaks(in: scan.stdout + scan.stderr).isEmpty)

        let manifest = try ParsedManifest(directory: out)
        var paths: [String] = []
        for item in manifest.items {
            var rest = item
            if let path = rest.removeValue(forKey: "path") as? String { paths.append(path) }
            if let layers = rest.removeValue(forKey: "layers") as? [[String: Any]] {
                paths += layers.compactMap { $0["member"] as? String }
            }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: rest), as: UTF8.self)
            #expect(Self.leaks(in: text).isEmpty, "\(item["path"] ?? "?"): \(text)")
        }
        #expect(Self.leaks(in: manifest.lines.first ?? "").isEmpty)
        #expect(Self.leaks(in: manifest.lines.last ?? "").isEmpty)

        for (format, file) in [("csv", "m.csv"), ("dfxml", "m.xml"), ("vics", "m.json"), ("case", "m.jsonld")] {
            let target = workspace.child(file).path
            let export = try ProcessRunner.blindfold(["export", out.path + "/manifest.jsonl", "--format", format, "-o", target])
            #expect(export.exitCode == 0, "\(format): \(export.stderr)")
            var text = try String(contentsOfFile: target, encoding: .utf8)
            // Paths (an archive member's own name among them) are where items are, not what they say.
            for path in paths.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: path, with: "") }
            #expect(Self.leaks(in: text).isEmpty, "\(format) export holds the planted text")
        }
        let report = workspace.child("report.html").path
        #expect(try ProcessRunner.blindfold(["report", out.path + "/manifest.jsonl", "-o", report]).exitCode == 0)
        #expect(Self.leaks(in: try String(contentsOfFile: report, encoding: .utf8)).isEmpty)
    }

    static func makeFixtures(in directory: URL) throws {
        let script = TestEnvironment.repository.appendingPathComponent("Tests/Tools/make_leak_fixtures.py").path
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", script, directory.path, planted])
        #expect(made.exitCode == 0, "\(made.stderr)")
    }
}
