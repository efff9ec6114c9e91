import Foundation
import Testing

/// End-to-end: the built binary scans the bundled synthetic evidence against the bundled sets.
@Suite("Fixture scan")
struct FixtureScanTests {
    /// Scans the fixtures once into a fresh folder.
    static func scanFixtures(extra: [String] = []) throws -> (TemporaryDirectory, ProcessResult, ParsedManifest) {
        let output = try TemporaryDirectory("fixture-scan")
        let result = try ProcessRunner.blindfold(
            ["scan", TestEnvironment.evidence.path, "--out", output.path] + TestEnvironment.fixtureSetArguments + extra)
        let manifest = try ParsedManifest(directory: output.url)
        return (output, result, manifest)
    }

    /// Every regular fixture file, relative to the evidence root, sorted.
    static func fixtureFiles() throws -> [String] {
        let root = TestEnvironment.evidence.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files.append(relative) }
        }
        return files.sorted()
    }

    /// `TOOL FILE...` output as relative path → digest.
    static func coreutilsDigests(_ tool: String, files: [String]) throws -> [String: String] {
        let result = try ProcessRunner.run("/usr/bin/env", [tool, "--"] + files.map { TestEnvironment.evidence.path + "/" + $0 })
        #expect(result.exitCode == 0, "\(tool) failed")
        var digests: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let digest = String(line.prefix { $0 != " " })
            let path = String(line.dropFirst(digest.count + 2))
            digests[String(path.dropFirst(TestEnvironment.evidence.path.count + 1))] = digest
        }
        return digests
    }

    @Test("digests equal md5sum, sha1sum and sha256sum of every fixture file")
    func digestsMatchCoreutils() throws {
        let (output, result, manifest) = try Self.scanFixtures()
        defer { output.remove() }
        #expect(result.exitCode == 1, "known-bad hits must give exit code 1")
        let files = try Self.fixtureFiles()
        #expect(files.count == manifest.topLevelItems.count)
        for (tool, key) in [("md5sum", "md5"), ("sha1sum", "sha1"), ("sha256sum", "sha256")] {
            let expected = try Self.coreutilsDigests(tool, files: files)
            #expect(expected.count == files.count)
            for file in files {
                let item = try #require(manifest.item(file), "no record for \(file)")
                #expect(item.object("hashes")?.string(key) == expected[file], "\(key) of \(file)")
            }
        }
    }

    @Test("matches, sizes and extension checks equal the hand-computed expectations")
    func matchesEqualExpectations() throws {
        let (output, _, manifest) = try Self.scanFixtures()
        defer { output.remove() }
        let data = try Data(contentsOf: TestEnvironment.hashsets.appendingPathComponent("expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(expected["files"] as? [String: [String: Any]])
        #expect(files.count == manifest.topLevelItems.count)
        var knownBad = 0
        for (path, expectation) in files {
            let item = try #require(manifest.item(path), "no record for \(path)")
            let sets = ((item["matches"] as? [[String: Any]]) ?? []).compactMap { $0.string("set") }
            #expect(Set(sets) == Set(expectation["matches"] as? [String] ?? []), "matches of \(path)")
            #expect(item.int("size") == expectation.int("size"), "size of \(path)")
            #expect(item["extension_mismatch"] as? Bool == expectation["extension_mismatch"] as? Bool,
                    "extension_mismatch of \(path)")
            #expect(item.string("status") == "ok")
            if sets.contains(where: { $0.hasPrefix("known-bad") }) { knownBad += 1 }
        }
        let matches = try #require(manifest.summary.object("matches"))
        #expect(matches.int("known-bad") == knownBad)
        #expect(knownBad == 5, "4 by digest, scan.bmp by PDQ distance")
        // The PDQ match: a resized copy, found at a distance near the reference binding's.
        let reference = try #require(expected["pdq_reference"] as? [String: Any])
        let bmp = try #require(manifest.item("Pictures/scan.bmp"))
        let pdqMatch = try #require((bmp["matches"] as? [[String: Any]])?.first { $0.string("algorithm") == "pdq" })
        let distance = try #require(pdqMatch.int("distance"))
        #expect(abs(distance - (reference.int("distance") ?? -99)) <= 2, "distance \(distance)")
    }

    @Test("the manifest validates against docs/manifest.schema.json and its sidecar is sha256sum's line")
    func manifestValidates() throws {
        let (output, _, manifest) = try Self.scanFixtures()
        defer { output.remove() }
        let manifestPath = output.child("manifest.jsonl").path
        let schema = TestEnvironment.repository.appendingPathComponent("docs/manifest.schema.json").path
        let validator = TestEnvironment.repository.appendingPathComponent("Tests/Tools/validate_manifest.py").path
        let validation = try ProcessRunner.run("/usr/bin/env", ["python3", validator, schema, manifestPath])
        #expect(validation.exitCode == 0, "\(validation.stdout)\(validation.stderr)")

        let check = try ProcessRunner.run("/bin/sh", ["-c", "cd '\(output.path)' && sha256sum -c manifest.jsonl.sha256"])
        #expect(check.exitCode == 0, "sidecar: \(check.stdout)")
        #expect(manifest.header.string("schema") == "blindfold.manifest/1")
        #expect(manifest.summary["complete"] as? Bool == true)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(leftovers == ["manifest.jsonl", "manifest.jsonl.sha256"])
    }

    @Test("a second scan gives identical item lines, whatever the worker count")
    func secondScanIsIdentical() throws {
        let (first, _, one) = try Self.scanFixtures(extra: ["--jobs", "1"])
        defer { first.remove() }
        let (second, _, two) = try Self.scanFixtures(extra: ["--jobs", "4", "--io-jobs", "2"])
        defer { second.remove() }
        #expect(one.itemLines == two.itemLines)
        #expect(one.itemLines.count == 22, "19 files and the 3 members of memo.docx")
    }

    @Test("the sentinel planted in the fixtures appears in no output, even at trace log level")
    func sentinelNeverEmitted() throws {
        let (output, result, _) = try Self.scanFixtures(extra: ["--log-level", "trace"])
        defer { output.remove() }
        let manifest = try Data(contentsOf: output.child("manifest.jsonl"))
        let sentinel = Data(TestEnvironment.sentinel.utf8)
        #expect(sentinel.count > 10)
        #expect(manifest.range(of: sentinel) == nil)
        #expect(result.stdoutData.range(of: sentinel) == nil)
        #expect(result.stderrData.range(of: sentinel) == nil)
        // memo.docx holds the sentinel only deflated, in word/document.xml: that member was
        // decompressed, identified and hashed, and still nothing of it was written.
        let manifestText = String(decoding: manifest, as: UTF8.self)
        #expect(manifestText.contains(#""member":"word/document.xml""#))
        // Prove the check could fail: the sentinel really is in the evidence.
        let letter = try Data(contentsOf: TestEnvironment.evidence.appendingPathComponent("Documents/letter.txt"))
        #expect(letter.range(of: sentinel) != nil)
    }

    @Test("the terminal summary carries counts, never names")
    func terminalShowsCountsOnly() throws {
        let (output, result, _) = try Self.scanFixtures()
        defer { output.remove() }
        #expect(result.stdout.contains("items:       22"))
        #expect(result.stdout.contains("known-bad:   5 item(s) matched"))
        #expect(result.stdout.contains("known-good:  5 item(s) matched"))
        for name in ["IMG_0001", "holiday", "letter.txt", "blob.bin", "DCIM"] {
            #expect(!result.stdout.contains(name) && !result.stderr.contains(name), "\(name) printed")
        }
        #expect(result.stderr.isEmpty, "stderr is not a terminal: no progress, no noise")
    }
}
