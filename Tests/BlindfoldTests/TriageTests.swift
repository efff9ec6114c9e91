import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// On-scene triage: media first, a time budget, a one-screen verdict, exit 1 on any hit.
@Suite("Triage")
struct TriageTests {
    static let knownBad = [
        "--known-bad", TestEnvironment.hashsets.appendingPathComponent("known-bad.sha256").path,
        "--known-bad", TestEnvironment.hashsets.appendingPathComponent("known-bad.md5").path,
    ]

    @Test("the fixtures: exit 1, counts on screen, names only with --show-paths")
    func fixtureVerdict() throws {
        let workspace = try TemporaryDirectory("triage")
        defer { workspace.remove() }
        let quiet = try ProcessRunner.blindfold(
            ["triage", TestEnvironment.evidence.path, "--out", workspace.child("a").path] + Self.knownBad)
        #expect(quiet.exitCode == 1)
        #expect(quiet.stdout.contains("KNOWN-BAD MATERIAL FOUND: 4 item(s)"))
        #expect(quiet.stdout.contains("known-bad.md5 2, known-bad.sha256 3"))
        #expect(quiet.stdout.contains("coverage:     19 of 19 items (100%)"))
        #expect(!quiet.stdout.contains("IMG_0001"), "no names without --show-paths")
        let shown = try ProcessRunner.blindfold(
            ["triage", TestEnvironment.evidence.path, "--out", workspace.child("b").path, "--show-paths"] + Self.knownBad)
        #expect(shown.exitCode == 1)
        for hit in ["DCIM/100CAMERA/IMG_0001.jpg", "DCIM/100CAMERA/holiday.jpg", "Pictures/web/banner.webp", "Downloads/misc/blob.bin"] {
            #expect(shown.stdout.contains(hit))
        }
        #expect(!shown.stdout.contains(TestEnvironment.sentinel))
        let manifest = try ParsedManifest(directory: workspace.child("b"))
        #expect(manifest.summary["complete"] as? Bool == true)
        #expect(manifest.header.object("options")?.string("order") == "triage")
    }

    @Test("a budget cuts the triage short: complete:false, exit 3, media examined before anything else")
    func budgetCutsShort() throws {
        let workspace = try TemporaryDirectory("triage-budget")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("a-docs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("z-photos"), withIntermediateDirectories: true)
        for index in 0..<300 {
            try Data("notes \(index)\n".utf8).write(to: root.appendingPathComponent(String(format: "a-docs/n%03d.txt", index)))
        }
        // Pictures by extension and one by content only; walk order puts them last.
        for index in 0..<20 {
            try FileManager.default.copyItem(
                at: TestEnvironment.evidence.appendingPathComponent("Pictures/scan.bmp"),
                to: root.appendingPathComponent(String(format: "z-photos/p%02d.bmp", index)))
        }
        try FileManager.default.copyItem(
            at: TestEnvironment.evidence.appendingPathComponent("DCIM/100CAMERA/IMG_0002.jpg"),
            to: root.appendingPathComponent("z-photos/disguised.dat"))
        // A huge sparse non-media file that cannot be finished within the budget.
        let sparse = root.appendingPathComponent("a-docs/disk.img").path
        #expect(FileManager.default.createFile(atPath: sparse, contents: nil) && truncate(sparse, 64 << 30) == 0)
        let started = Date()
        let result = try ProcessRunner.blindfold(
            ["triage", root.path, "--out", workspace.child("out").path, "--budget", "2s", "--jobs", "1"] + Self.knownBad)
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.exitCode == 3, "\(result.stdout)\(result.stderr)")
        #expect(elapsed < 2 + 1 + 1.5, "the verdict comes within a second of the budget (\(elapsed) s)")
        #expect(result.stdout.contains("budget ran out"))
        let manifest = try ParsedManifest(directory: workspace.child("out"))
        #expect(manifest.summary["complete"] as? Bool == false)
        let paths = manifest.items.compactMap { $0.string("path") }
        let lastMedia = paths.lastIndex { $0.hasPrefix("z-photos/") } ?? -1
        let firstOther = paths.firstIndex { $0.hasPrefix("a-docs/") } ?? Int.max
        #expect(lastMedia < firstOther, "every picture (also the one named .dat) comes before any other file")
        #expect(paths.filter { $0.hasPrefix("z-photos/") }.count == 21)
        let examined = manifest.items.filter { $0.string("status") == "ok" }.count
        #expect(result.stdout.contains("coverage:     \(examined) of "))
        #expect(result.stdout.contains("media 21 of 21 (100%)"))
        let disk = try #require(manifest.item("a-docs/disk.img"))
        #expect(disk.string("status") == "skipped")
        #expect(disk.string("reason")?.contains("time budget") == true)
    }

    @Test("triage needs a known-bad set and an output folder outside the roots")
    func triageArguments() throws {
        let workspace = try TemporaryDirectory("triage-args")
        defer { workspace.remove() }
        let noSet = try ProcessRunner.blindfold(["triage", TestEnvironment.evidence.path, "--out", workspace.child("o").path])
        #expect(noSet.exitCode == 2)
        #expect(noSet.stderrLines.count == 1)
        let inside = try ProcessRunner.blindfold(
            ["triage", TestEnvironment.evidence.path, "--out", TestEnvironment.evidence.path + "/x"] + Self.knownBad)
        #expect(inside.exitCode == 2)
        let badBudget = try ProcessRunner.blindfold(
            ["triage", TestEnvironment.evidence.path, "--out", workspace.child("o").path, "--budget", "soon"] + Self.knownBad)
        #expect(badBudget.exitCode == 2)
    }
}
