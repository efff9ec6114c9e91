import Foundation
import Testing

/// The `pdq` and `phash` plugins inside real scans: records, plugin errors, notes, options.
@Suite("Perceptual hashing in scans")
struct PerceptualScanTests {
    static let images = TestEnvironment.fixtures.appendingPathComponent("images")

    static func scan(_ root: URL, _ extra: [String] = []) throws -> (ProcessResult, ParsedManifest, TemporaryDirectory) {
        let output = try TemporaryDirectory("perceptual-scan")
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", output.path] + extra)
        return (result, try ParsedManifest(directory: output.url), output)
    }

    static func validate(_ directory: TemporaryDirectory) throws {
        let validator = TestEnvironment.repository.appendingPathComponent("Tests/Tools/validate_manifest.py").path
        let schema = TestEnvironment.repository.appendingPathComponent("docs/manifest.schema.json").path
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", validator, schema, directory.child("manifest.jsonl").path])
        #expect(result.exitCode == 0, "schema: \(result.stdout) \(result.stderr)")
    }

    @Test("Every image fixture gets a record; hostile ones a plugin error with its status; the scan goes on")
    func imageFixtures() throws {
        let (result, manifest, output) = try Self.scan(Self.images, ["--phash", "--pdq-dihedral"])
        defer { output.remove() }
        #expect(result.exitCode == 0, "\(result.stderr)")
        try Self.validate(output)
        #expect(manifest.items.count == 16)
        #expect(manifest.items.allSatisfy { $0.string("status") == "ok" })

        let png = try #require(manifest.item("formats/pattern.png")?.object("hashes"))
        let pdq = try #require(png.string("pdq"))
        #expect(pdq.count == 64)
        #expect((png["pdq_dihedral"] as? [String])?.count == 8)
        #expect((png["pdq_dihedral"] as? [String])?.first == pdq)
        #expect(png.string("phash")?.count == 16)
        for format in ["bmp", "gif", "tif", "webp"] {
            let hashes = manifest.item("formats/pattern.\(format)")?.object("hashes")
            #expect(hashes?.string("pdq") == pdq, "\(format)")
            #expect(hashes?.string("phash") == png.string("phash"), "\(format)")
        }
        let expectedErrors = [
            "hostile/huge-dimensions.jpg": "limit: ", "hostile/truncated.png": "truncated: ", "hostile/truncated.jpg": "truncated: ", "hostile/icon.ico": "unsupported: ", "hostile/no-frames.gif": "corrupt: ",
        ]
        for (path, prefix) in expectedErrors {
            let item = try #require(manifest.item(path), "\(path) missing")
            #expect(item.object("hashes")?["pdq"] == nil, "\(path) has a PDQ hash")
            #expect(item.object("hashes")?.string("sha256")?.count == 64, "\(path) lost its digests")
            #expect(item.object("plugin_errors")?.string("pdq")?.hasPrefix(prefix) == true, "\(path): \(item)")
        }
        // Not images to libmagic: digests only, no perceptual plugin runs.
        for path in ["hostile/empty.jpg", "hostile/random-after-signature.png"] {
            let item = try #require(manifest.item(path))
            #expect(item.object("hashes")?["pdq"] == nil && item["plugin_errors"] == nil, "\(path)")
        }
        #expect(manifest.item("hostile/random-after-signature.png")?["extension_mismatch"] as? Bool == true)
        #expect(manifest.header.object("options")?.int("pdq_distance") == 31)
    }

    @Test("Images below the quality floor are hashed and say they are not matched")
    func qualityFloorNote() throws {
        guard let conformance = Conformance.directory else { throw Conformance.Missing() }
        let labelme = conformance.appendingPathComponent("images/reg-test-input/labelme-subset")
        let (result, manifest, output) = try Self.scan(labelme)
        defer { output.remove() }
        #expect(result.exitCode == 0)
        for item in manifest.items {
            let path = item.string("path") ?? ""
            let quality = try #require(item.object("hashes")?.int("pdq_quality"), "\(path)")
            let notes = item["notes"] as? [String] ?? []
            if ["q0003.jpg", "q0004.jpg"].contains(path) {
                #expect(quality < 50)
                #expect(notes.contains { $0.contains("below the matching floor 50") }, "\(path): \(notes)")
            } else {
                #expect(quality >= 50 && notes.isEmpty, "\(path)")
            }
        }
        let (_, lowered, second) = try Self.scan(labelme, ["--pdq-quality", "3"])
        defer { second.remove() }
        #expect(lowered.items.filter { $0["notes"] != nil }.map { $0.string("path") } == [])
    }

    @Test("Items a known-good set matches exactly skip the decode, unless --no-skip-known-good")
    func knownGoodSkipsDecode() throws {
        let work = try TemporaryDirectory("known-good-skip")
        defer { work.remove() }
        let formats = Self.images.appendingPathComponent("formats")
        let sum = try ProcessRunner.run("/usr/bin/sha256sum", [formats.appendingPathComponent("pattern.png").path])
        let set = work.child("good.sha256")
        try Data(sum.stdout.utf8).write(to: set)

        let (_, skipped, first) = try Self.scan(formats, ["--known-good", set.path])
        defer { first.remove() }
        let png = try #require(skipped.item("pattern.png"))
        #expect(png.object("hashes")?["pdq"] == nil)
        #expect((png["notes"] as? [String])?.first?.contains("matched a known-good set") == true)
        #expect(skipped.item("pattern.bmp")?.object("hashes")?.string("pdq") != nil)

        let (_, kept, second) = try Self.scan(formats, ["--known-good", set.path, "--no-skip-known-good"])
        defer { second.remove() }
        #expect(kept.item("pattern.png")?.object("hashes")?.string("pdq") != nil)
    }

    @Test("blindfold plugins lists pdq and phash; --no-pdq leaves PDQ out; bad thresholds are refused")
    func pluginOptions() throws {
        let listing = try ProcessRunner.blindfold(["plugins"])
        #expect(listing.stdout.contains("pdq") && listing.stdout.contains("phash"))
        let (_, manifest, output) = try Self.scan(Self.images.appendingPathComponent("formats"), ["--no-pdq"])
        defer { output.remove() }
        #expect(manifest.items.allSatisfy { $0.object("hashes")?["pdq"] == nil })
        let bad = try TemporaryDirectory("bad-threshold")
        defer { bad.remove() }
        let refused = try ProcessRunner.blindfold(["scan", Self.images.path, "--out", bad.path, "--pdq-distance", "300"])
        #expect(refused.exitCode == 2)
        #expect(!FileManager.default.fileExists(atPath: bad.child("manifest.jsonl").path))
    }

    @Test("Near matching in a scan: hand-computed expectations from the reference hashes, distances recorded, quality floor, dihedral")
    func nearMatchingInScans() throws {
        guard let conformance = Conformance.directory else { throw Conformance.Missing() }
        let vectors = Dictionary(uniqueKeysWithValues: try Conformance.load().map { ($0.path, $0.expected) })
        let listed = try #require(vectors["images/bridge-mods/aaa-orig.jpg"]).pdq
        let lowQuality = try #require(vectors["images/reg-test-input/labelme-subset/q0003.jpg"]).pdq
        let work = try TemporaryDirectory("pdq-scan")
        defer { work.remove() }
        let set = work.child("known-bad.pdq")
        try Data("# synthetic PDQ list\n\(listed)\n\(lowQuality)\n".utf8).write(to: set)
        let bridge = conformance.appendingPathComponent("images/bridge-mods")
        let labelme = conformance.appendingPathComponent("images/reg-test-input/labelme-subset")

        let (result, manifest, first) = try Self.scan(bridge, ["--known-bad", set.path, "--plugins", "pdq"])
        defer { first.remove() }
        #expect(result.exitCode == 1, "known-bad matches found")
        var checked = 0
        for item in manifest.items {
            let path = try #require(item.string("path"))
            let reference = try #require(vectors["images/bridge-mods/" + path])
            // What the reference hashes say: each of ours is within 2 bits of them, so only
            // images clear of the threshold by more than 2 bits are decided in advance.
            let expectedDistance = Conformance.distance(reference.pdq, listed)
            let match = (item["matches"] as? [[String: Any]])?.first
            if expectedDistance <= 31 - 2 {
                #expect(match?["algorithm"] as? String == "pdq", "\(path) should match (\(expectedDistance) bits): \(item)")
                let recorded = try #require(match?["distance"] as? Int)
                let ours = Conformance.distance(try #require(item.object("hashes")?.string("pdq")), listed)
                #expect(recorded == ours, "\(path): recorded distance is the item's")
                #expect(abs(recorded - expectedDistance) <= 2)
                checked += 1
            } else if expectedDistance > 31 + 2 {
                #expect(match == nil, "\(path) should not match (\(expectedDistance) bits)")
                checked += 1
            }
        }
        #expect(checked >= 10)
        #expect(manifest.item("aaa-orig.jpg")?["matches"].flatMap { ($0 as? [[String: Any]])?.first?["distance"] as? Int } == 0)

        // The low-quality image is in the set verbatim, yet is not matched below the floor.
        let (_, floor, second) = try Self.scan(labelme, ["--known-bad", set.path, "--plugins", "pdq"])
        defer { second.remove() }
        #expect(floor.item("q0003.jpg")?["matches"] == nil)
        #expect((floor.item("q0003.jpg")?["notes"] as? [String])?.isEmpty == false)
        let (_, lowered, third) = try Self.scan(labelme, ["--known-bad", set.path, "--plugins", "pdq", "--pdq-quality", "0"])
        defer { third.remove() }
        #expect((lowered.item("q0003.jpg")?["matches"] as? [[String: Any]])?.first?["distance"] as? Int == 0)
    }

    @Test("Rotated and mirrored copies match a listed original only with --pdq-dihedral")
    func dihedralMatchingInScans() throws {
        guard let conformance = Conformance.directory else { throw Conformance.Missing() }
        let vectors = Dictionary(uniqueKeysWithValues: try Conformance.load().map { ($0.path, $0.expected) })
        let original = try #require(vectors["images/reg-test-input/dih/bridge-1-original.jpg"]).pdq
        let work = try TemporaryDirectory("pdq-dihedral")
        defer { work.remove() }
        let set = work.child("known-bad.pdq")
        try Data("pdq \(original)\n".utf8).write(to: set)
        let dih = conformance.appendingPathComponent("images/reg-test-input/dih")
        let (_, plain, first) = try Self.scan(dih, ["--known-bad", set.path, "--plugins", "pdq"])
        defer { first.remove() }
        #expect(plain.items.filter { $0["matches"] != nil }.compactMap { $0.string("path") } == ["bridge-1-original.jpg"])
        let (_, turned, second) = try Self.scan(dih, ["--known-bad", set.path, "--plugins", "pdq", "--pdq-dihedral"])
        defer { second.remove() }
        #expect(turned.items.count == 8)
        #expect(turned.items.allSatisfy { $0["matches"] != nil }, "every rotation and mirror image matches")
    }
}
