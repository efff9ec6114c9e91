import Foundation
import Testing

/// Bad invocations exit 2 with one clear line on stderr and write nothing.
@Suite("Invocation errors")
struct InvocationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: @Sendable (_ out: String, _ scratch: String) -> [String]
        var mentions: String
        var testDescription: String { name }
    }

    static let evidence = TestEnvironment.evidence.path
    static let sets = TestEnvironment.hashsets.path

    static let cases: [Case] = [
        Case(name: "missing root", arguments: { out, _ in ["scan", "/nonexistent/evidence", "--out", out] },
             mentions: "/nonexistent/evidence"),
        Case(name: "unreadable set", arguments: { out, _ in
            ["scan", evidence, "--out", out, "--known-bad", "/nonexistent/set.sha256"] }, mentions: "set.sha256"),
        Case(name: "malformed set names its line", arguments: { out, _ in
            ["scan", evidence, "--out", out, "--known-bad", sets + "/malformed.sha256"] }, mentions: "malformed.sha256:3:"),
        Case(name: "unrecognised set format", arguments: { out, _ in
            ["scan", evidence, "--out", out, "--known-good", evidence + "/Pictures/logo.gif"] },
             mentions: "unrecognised hash-set format"),
        Case(name: "out inside a root", arguments: { _, _ in
            ["scan", evidence, "--out", evidence + "/DCIM/results"] }, mentions: "inside the scanned root"),
        Case(name: "out equal to a root", arguments: { _, _ in ["scan", evidence, "--out", evidence] },
             mentions: "inside the scanned root"),
        Case(name: "zero jobs", arguments: { out, _ in ["scan", evidence, "--out", out, "--jobs", "0"] },
             mentions: "--jobs"),
        Case(name: "unknown plugin", arguments: { out, _ in ["scan", evidence, "--out", out, "--plugins", "md5,tlsh"] },
             mentions: "tlsh"),
        Case(name: "no root at all", arguments: { out, _ in ["scan", "--out", out] }, mentions: "root"),
        Case(name: "unknown option", arguments: { out, _ in ["scan", evidence, "--out", out, "--frobnicate"] },
             mentions: "frobnicate"),
        Case(name: "duplicate set names", arguments: { out, scratch in
            ["scan", evidence, "--out", out, "--known-bad", sets + "/known-bad.md5", "--known-good", scratch + "/known-bad.md5"]
        }, mentions: "named"),
    ]

    @Test("exit 2, one line, nothing written", arguments: cases)
    func badInvocation(_ testCase: Case) throws {
        let scratch = try TemporaryDirectory("invocation")
        defer { scratch.remove() }
        try FileManager.default.copyItem(
            atPath: Self.sets + "/known-bad.md5", toPath: scratch.child("known-bad.md5").path)
        let out = scratch.child("out").path
        let before = try Self.listing(Self.evidence)
        let result = try ProcessRunner.blindfold(testCase.arguments(out, scratch.path))
        #expect(result.exitCode == 2)
        #expect(result.stderrLines.count == 1, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(testCase.mentions), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out), "output folder was created")
        #expect(try Self.listing(Self.evidence) == before, "something appeared inside the evidence")
    }

    @Test("an existing manifest is not replaced without --overwrite")
    func existingManifestIsKept() throws {
        let scratch = try TemporaryDirectory("overwrite")
        defer { scratch.remove() }
        let out = scratch.child("out").path
        #expect(try ProcessRunner.blindfold(["scan", Self.evidence + "/Documents", "--out", out]).exitCode == 0)
        let first = try Data(contentsOf: scratch.child("out/manifest.jsonl"))
        let refused = try ProcessRunner.blindfold(["scan", Self.evidence + "/Documents", "--out", out])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("--overwrite"))
        #expect(try Data(contentsOf: scratch.child("out/manifest.jsonl")) == first)
        #expect(try ProcessRunner.blindfold(["scan", Self.evidence + "/Documents", "--out", out, "--overwrite"]).exitCode == 0)
    }

    @Test("help for every command reads as text and exits 0")
    func helpWorks() throws {
        for arguments in [["--help"], ["scan", "--help"], ["plugins", "--help"], ["--version"]] {
            let result = try ProcessRunner.blindfold(arguments)
            #expect(result.exitCode == 0)
            #expect(!result.stdout.isEmpty)
        }
        let plugins = try ProcessRunner.blindfold(["plugins"])
        #expect(plugins.exitCode == 0)
        for id in ["md5", "sha1", "sha256"] { #expect(plugins.stdout.contains("\n\(id) ")) }
    }

    static func listing(_ path: String) throws -> [String] {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).sorted()
    }
}
