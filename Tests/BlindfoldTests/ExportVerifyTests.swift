import BlindfoldCore
import Foundation
import KnownHashes
import Testing

/// Exports read the manifest only; `verify` proves the manifest and the evidence unchanged.
@Suite("Exports and verify")
struct ExportVerifyTests {
    static let schema = TestEnvironment.repository.deletingLastPathComponent()
        .appendingPathComponent("shared/schemas/dfxml/dfxml.xsd")

    /// A copy of the fixtures plus names a spreadsheet or an XML parser would choke on.
    static func makeEvidence(in workspace: TemporaryDirectory) throws -> URL {
        let root = workspace.child("evidence")
        try FileManager.default.copyItem(at: TestEnvironment.evidence, to: root)
        try Data("formula\n".utf8).write(to: root.appendingPathComponent("=HYPERLINK(\"x\",\"y\").txt"))
        try Data("comma\n".utf8).write(to: root.appendingPathComponent("a, \"quoted\" <name> & more.txt"))
        try Data("line\n".utf8).write(to: root.appendingPathComponent("two\nlines.txt"))
        return root
    }

    @Test("CSV: RFC 4180 rows a strict reader parses, formulas neutralised, hashes as in the manifest")
    func csv() throws {
        let workspace = try TemporaryDirectory("csv")
        defer { workspace.remove() }
        let root = try Self.makeEvidence(in: workspace)
        let out = workspace.child("out")
        _ = try ProcessRunner.blindfold(["scan", root.path, "--out", out.path] + TestEnvironment.fixtureSetArguments)
        let csv = workspace.child("items.csv").path
        let export = try ProcessRunner.blindfold(["export", out.path + "/manifest.jsonl", "--format", "csv", "-o", csv])
        #expect(export.exitCode == 0, "\(export.stderr)")
        let check = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", """
            import csv, json, sys
            rows = list(csv.reader(open(sys.argv[1], newline=''), strict=True))
            print(json.dumps(rows))
            """, csv])
        #expect(check.exitCode == 0, "\(check.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [[String]])
        let manifest = try ParsedManifest(directory: out)
        #expect(rows.count == manifest.items.count + 1)
        #expect(rows.first?[1] == "path" && rows.first?[10] == "sha256")
        let formula = try #require(rows.first { $0[1].contains("HYPERLINK") })
        #expect(formula[1].hasPrefix("'="), "a name starting with = stays text")
        #expect(rows.contains { $0[1] == "a, \"quoted\" <name> & more.txt" })
        #expect(rows.contains { $0[1] == "two\nlines.txt" })
        let image = try #require(rows.first { $0[1] == "DCIM/100CAMERA/IMG_0001.jpg" })
        #expect(image[10] == manifest.item("DCIM/100CAMERA/IMG_0001.jpg")?.object("hashes")?.string("sha256"))
        #expect(image[11] == "known-bad.md5;known-bad.sha256")
        #expect(rows.first?[17] == "pdq" && rows.first?[19] == "pdq_distance")
        let bmp = try #require(rows.first { $0[1] == "Pictures/scan.bmp" })
        let bmpItem = try #require(manifest.item("Pictures/scan.bmp"))
        #expect(bmp[17] == bmpItem.object("hashes")?.string("pdq"))
        #expect(bmp[18] == bmpItem.object("hashes")?.int("pdq_quality").map(String.init))
        #expect(bmp[19] == (bmpItem["matches"] as? [[String: Any]])?.first?.int("distance").map(String.init))
        #expect(bmp[11] == "known-bad.pdq")
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(!text.contains(TestEnvironment.sentinel))
    }

    @Test("DFXML: validates against the schema with xmllint, one fileobject per item",
          .enabled(if: FileManager.default.fileExists(atPath: schema.path), "the shared DFXML schema is not beside the repository"))
    func dfxml() throws {
        let workspace = try TemporaryDirectory("dfxml")
        defer { workspace.remove() }
        let root = try Self.makeEvidence(in: workspace)
        let out = workspace.child("out")
        _ = try ProcessRunner.blindfold(["scan", root.path, "--out", out.path] + TestEnvironment.fixtureSetArguments)
        let xml = workspace.child("items.dfxml").path
        #expect(try ProcessRunner.blindfold(["export", out.path + "/manifest.jsonl", "--format", "dfxml", "-o", xml]).exitCode == 0)
        let lint = try ProcessRunner.run("/usr/bin/xmllint", ["--noout", "--schema", Self.schema.path, xml])
        #expect(lint.exitCode == 0, "\(lint.stderr)")
        // scan --export writes the same file at the end of a scan.
        let both = workspace.child("both")
        _ = try ProcessRunner.blindfold(["scan", root.path, "--out", both.path, "--export", "dfxml", "--export", "csv"])
        let listing = try FileManager.default.contentsOfDirectory(atPath: both.path).sorted()
        #expect(listing == ["manifest.csv", "manifest.dfxml", "manifest.jsonl", "manifest.jsonl.sha256"])
        #expect(try ProcessRunner.run("/usr/bin/xmllint", ["--noout", "--schema", Self.schema.path, both.path + "/manifest.dfxml"]).exitCode == 0)
        let text = try String(contentsOfFile: xml, encoding: .utf8)
        let manifest = try ParsedManifest(directory: out)
        #expect(text.components(separatedBy: "<fileobject>").count - 1 == manifest.items.count)
        #expect(text.contains("<filename>a, &quot;quoted&quot; &lt;name&gt; &amp; more.txt</filename>"))
        #expect(text.contains("<filename>Documents/drafts/memo.docx/word/document.xml</filename>"))
        #expect(!text.contains(TestEnvironment.sentinel))
    }

    @Test("VICS: categories from a VICS known-bad set survive export and read back through our VICS reader")
    func vicsRoundTrip() throws {
        let workspace = try TemporaryDirectory("vics")
        defer { workspace.remove() }
        let set = workspace.child("unit-set.json")
        // Synthetic set: IMG_0001.jpg (by MD5) category 1, blob.bin (by SHA-1) category 2, IMG_0002 category 0.
        try Data("""
            {"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media","value":[
             {"MediaID":1,"Category":1,"MD5":"1EB41BCCF9C3896657DE95586E32EDAB"},
             {"MediaID":2,"Category":2,"SHA1":"2c774b942be7dc11db671a666d9336570e705117"},
             {"MediaID":3,"Category":0,"MD5":"b1b7e9fc560493129af45f4a5a22acb6"}]}
            """.utf8).write(to: set)
        let out = workspace.child("out")
        let scan = try ProcessRunner.blindfold([
            "scan", TestEnvironment.evidence.path, "--out", out.path, "--known-bad", set.path, "--vics-alert", "1,2",
            "--export", "vics",
        ])
        #expect(scan.exitCode == 1)
        let manifest = try ParsedManifest(directory: out)
        let image = try #require(manifest.item("DCIM/100CAMERA/IMG_0001.jpg"))
        #expect((image["matches"] as? [[String: Any]])?.first?.string("category") == "1")
        let zero = try #require(manifest.item("DCIM/100CAMERA/IMG_0002.jpg")?["matches"] as? [[String: Any]])
        #expect(zero.first?.string("category") == "0" && zero.first?["alert"] as? Bool == false, "category 0 is matched, not an alert")
        #expect(manifest.summary.object("matches")?.int("known-bad-not-alerting") == 1)
        #expect(manifest.summary.object("matches")?.object("by_category")?.int("2") == 1)

        // The export read back by our own VICS reader, as a known-good set: every hashed item.
        let exported = out.path + "/manifest.vics.json"
        let back = try HashSetLoader.load(path: exported, name: "back", role: .knownGood)
        let hashed = manifest.items.filter { $0.object("hashes") != nil && $0.int("size") != 0 }
        #expect(back.info.entries == manifest.items.filter { $0.object("hashes") != nil }.count)
        for item in hashed {
            let hashes = try #require(item.object("hashes"))
            let outputs = ["md5", "sha1", "sha256"].compactMap { key in
                hashes.string(key).map { HashOutput(key: key, value: .hex($0)) }
            }
            #expect(back.matches(for: outputs).map(\.algorithm) == ["md5", "sha1", "sha256"], "\(item.string("path") ?? "")")
        }
        // PDQ hashes travel as AlternativeHashes and come back as a PDQ set.
        let sunset = try #require(manifest.item("DCIM/100CAMERA/sunset.png")?.object("hashes")?.string("pdq"))
        let probe = [HashOutput(key: "pdq", value: .hex(sunset)), HashOutput(key: "pdq_quality", value: .integer(100))]
        #expect(back.matches(for: probe).first { $0.algorithm == "pdq" }?.distance == 0)
        let image1 = [HashOutput(key: "md5", value: .hex("1eb41bccf9c3896657de95586e32edab"))]
        #expect(back.matches(for: image1).first?.category == "1")
        let blob = [HashOutput(key: "sha1", value: .hex("2c774b942be7dc11db671a666d9336570e705117"))]
        #expect(back.matches(for: blob).first?.category == "2")
        // Only the matched items, for sharing: category 0 (matched, not alerting) included.
        let shared = workspace.child("hits.json").path
        #expect(try ProcessRunner.blindfold(["export", out.path + "/manifest.jsonl", "--format", "vics", "-o", shared, "--vics-only-matches"]).exitCode == 0)
        #expect(try HashSetLoader.load(path: shared, name: "hits", role: .knownGood).info.entries == 3)
        #expect(!(try String(contentsOfFile: exported, encoding: .utf8)).contains(TestEnvironment.sentinel))
    }

    @Test("CASE/UCO: the fixture scan's JSON-LD passes case_validate without --allow-info")
    func caseUCO() throws {
        let workspace = try TemporaryDirectory("case")
        defer { workspace.remove() }
        let root = try Self.makeEvidence(in: workspace)
        let out = workspace.child("out")
        _ = try ProcessRunner.blindfold(["scan", root.path, "--out", out.path, "--export", "case"] + TestEnvironment.fixtureSetArguments)
        let document = out.path + "/manifest.case.jsonld"
        let validation = try ProcessRunner.run("/usr/bin/env", ["case_validate", document])
        #expect(validation.exitCode == 0, "\(validation.stdout.suffix(2000))")
        #expect(validation.stdout.contains("Conforms: True"))
        let graph = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: document))) as? [String: Any])?["@graph"]
                as? [[String: Any]])
        let manifest = try ParsedManifest(directory: out)
        #expect(graph.filter { $0["@type"] as? String == "uco-observable:File" }.count == manifest.items.count)
        #expect(graph.contains { $0["@type"] as? String == "case-investigation:InvestigativeAction" })
        let text = try String(contentsOfFile: document, encoding: .utf8)
        #expect(text.contains("\"@value\":\"4c19c85d33fd9f299aa62ac0985354d782d0f6b604c1854652eae9f1f48c720b\""))
        #expect(!text.contains(TestEnvironment.sentinel))
        // The same manifest always gives the same document.
        let again = workspace.child("again.jsonld").path
        #expect(try ProcessRunner.blindfold(["export", out.path + "/manifest.jsonl", "--format", "case", "-o", again]).exitCode == 0)
        #expect(try String(contentsOfFile: again, encoding: .utf8) == text)
    }

    @Test("verify: passes an intact scan; catches a flipped byte, a deleted line and a changed evidence file")
    func verify() throws {
        let workspace = try TemporaryDirectory("verify")
        defer { workspace.remove() }
        let root = try Self.makeEvidence(in: workspace)
        let out = workspace.child("out")
        _ = try ProcessRunner.blindfold(["scan", root.path, "--out", out.path])
        let manifest = out.path + "/manifest.jsonl"
        let intact = try ProcessRunner.blindfold(["verify", manifest, "--against", root.path, "--full"])
        #expect(intact.exitCode == 0, "\(intact.stdout)")
        #expect(intact.stdout.contains("VERIFIED"))

        // A flipped byte: the sidecar no longer matches.
        let original = try Data(contentsOf: URL(fileURLWithPath: manifest))
        var flipped = original
        let position = flipped.count / 2
        flipped[position] = flipped[position] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        try flipped.write(to: URL(fileURLWithPath: manifest))
        let tampered = try ProcessRunner.blindfold(["verify", manifest])
        #expect(tampered.exitCode == 1)
        #expect(tampered.stdout.contains("does not match its sidecar"))

        // A deleted item line, with the sidecar rewritten to hide it: the counts give it away.
        var lines = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 3)
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: manifest))
        try ArchiveTests.shell("cd '\(out.path)' && sha256sum manifest.jsonl > manifest.jsonl.sha256")
        let shortened = try ProcessRunner.blindfold(["verify", manifest])
        #expect(shortened.exitCode == 1)
        #expect(shortened.stdout.contains("the summary counts"))

        // The evidence changed after the scan.
        try original.write(to: URL(fileURLWithPath: manifest))
        try ArchiveTests.shell("cd '\(out.path)' && sha256sum manifest.jsonl > manifest.jsonl.sha256")
        try Data("changed\n".utf8).write(to: root.appendingPathComponent("Documents/letter.txt"))
        let changed = try ProcessRunner.blindfold(["verify", manifest, "--against", root.path, "--full"])
        #expect(changed.exitCode == 1)
        #expect(changed.stdout.contains("1 of"))
        #expect(!changed.stdout.contains("letter.txt"), "counts, not names")

        let missing = try ProcessRunner.blindfold(["verify", workspace.path + "/nothing.jsonl"])
        #expect(missing.exitCode == 2)
    }
}
