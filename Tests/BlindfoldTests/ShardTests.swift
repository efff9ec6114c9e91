import BlindfoldCore
import Foundation
import Manifest
@testable import Scanner
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Scale-out (#17): `scan --shard I/N` splits one scan by bytes, every shard alike, and
/// `merge` joins the shards into the manifest one scan would have written.
@Suite("Sharded scans and merge")
struct ShardTests {
    // MARK: The split

    /// 400 files from 1 byte to 400 KB (a few of 2–3 MB) in 20 folders, plus links and empty files.
    static func makeVariedTree(at root: URL) throws {
        var random = SeededBytes(seed: 17)
        for folder in 0..<20 {
            let directory = root.appendingPathComponent(String(format: "d%02d", folder))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in 0..<20 {
                let draw = random.next(3).reduce(0) { $0 << 8 | Int($1) }
                let size = (folder * 20 + file) % 97 == 0 ? 2_000_000 + draw % 1_000_000 : draw % 400_000 + 1
                try Data(count: size).write(to: directory.appendingPathComponent(String(format: "f%02d.bin", file)))
            }
            try Data().write(to: directory.appendingPathComponent("empty"))
            try FileManager.default.createSymbolicLink(atPath: directory.path + "/link", withDestinationPath: "f00.bin")
        }
    }

    @Test("shards are within 30% of the mean by bytes, disjoint, covering, and every listing splits alike")
    func balancedAndDeterministic() throws {
        let workspace = try TemporaryDirectory("shard-balance")
        defer { workspace.remove() }
        let root = workspace.child("tree")
        try Self.makeVariedTree(at: root)
        let roots = [PathBytes(root.path)]
        for count in [2, 3, 4, 7] {
            let plans = try (0..<count).map { index in
                ShardPlan.list(roots: roots, options: .init(), spec: try ShardSpec(index: index, count: count))
            }
            let again = ShardPlan.list(roots: roots, options: .init(), spec: try ShardSpec(index: 0, count: count))
            #expect(again.listingSHA256 == plans[0].listingSHA256 && again.shardBytes == plans[0].shardBytes)
            let mean = Double(plans[0].bytes) / Double(count)
            for plan in plans {
                #expect(plan.shardBytes == plans[0].shardBytes, "every shard computes the same split")
                #expect(abs(Double(plan.ownBytes) - mean) <= 0.3 * mean, "shard \(plan.spec): \(plan.ownBytes) vs mean \(mean)")
            }
            for sequence in 0..<plans[0].entries {
                #expect(plans.filter { $0.owns(sequence) }.count == 1, "entry \(sequence) belongs to exactly one shard")
                #expect(again.owns(sequence) == plans[0].owns(sequence))
            }
        }
    }

    @Test("a unit heavier than the mean gets a shard to itself; the rest balance around it")
    func hugeUnitAlone() {
        let weights = [Int64(500_000)] + Array(repeating: Int64(1_000), count: 600)
        let (owners, loads) = ShardBalancer.assign(weights: weights, shards: 4)
        #expect(owners.filter { $0 == owners[0] }.count == 1, "the huge unit's shard holds nothing else")
        let others = loads.enumerated().filter { $0.offset != Int(owners[0]) }.map(\.element)
        #expect(others.max()! - others.min()! <= 1_000)
    }

    @Test("walk order from paths: a folder's contents come before a longer name it prefixes, roots in order")
    func walkOrder() {
        func path(_ root: Int, _ relative: String) -> VirtualPath { VirtualPath(rootIndex: root, relative: PathBytes(relative)) }
        #expect(WalkOrder.precedes(path(0, "a/b"), path(0, "a.txt")))
        #expect(WalkOrder.precedes(path(0, "a"), path(0, "a/b")))
        #expect(WalkOrder.precedes(path(0, "z"), path(1, "a")))
        #expect(WalkOrder.compare(path(0, "a/b"), path(0, "a/b")) == 0)
        #expect(WalkOrder.precedes(path(0, "B"), path(0, "a")), "byte-wise: upper case first")
    }

    // MARK: Merge

    /// Runs every shard of `roots` into `workspace/shard-I` and returns the folders.
    static func runShards(_ roots: [String], count: Int, in workspace: TemporaryDirectory, _ options: [String] = [])
        throws -> [String]
    {
        try (0..<count).map { index in
            let out = workspace.child("shard-\(index)").path
            let result = try ProcessRunner.blindfold(
                ["scan"] + roots + ["--out", out, "--shard", "\(index)/\(count)", "--progress", "off"] + options)
            #expect([0, 1].contains(result.exitCode), "shard \(index): \(result.stderr)")
            return out
        }
    }

    static func checkMerged(_ merged: URL, equals single: URL) throws {
        #expect(try ParsedManifest(directory: merged).itemLines == ParsedManifest(directory: single).itemLines)
        #expect(try ResumeTests.summaryCounts(merged) == ResumeTests.summaryCounts(single))
        let validator = TestEnvironment.repository.appendingPathComponent("Tests/Tools/validate_manifest.py").path
        let schema = TestEnvironment.repository.appendingPathComponent("docs/manifest.schema.json").path
        let valid = try ProcessRunner.run("/usr/bin/env", ["python3", validator, schema, merged.path + "/manifest.jsonl"])
        #expect(valid.exitCode == 0, "\(valid.stdout)\(valid.stderr)")
        let verify = try ProcessRunner.blindfold(["verify", merged.path + "/manifest.jsonl"])
        #expect(verify.exitCode == 0, "\(verify.stdout)")
        let csv = try ProcessRunner.blindfold(["export", merged.path + "/manifest.jsonl", "--format", "csv", "--output", merged.path + "/m.csv"])
        #expect(csv.exitCode == 0, "\(csv.stderr)")
    }

    @Test("merge of 1, 3 and 5 shards equals one scan byte for byte: fixture evidence and sets, two roots")
    func mergeEqualsSingleScanOnFixtures() throws {
        let workspace = try TemporaryDirectory("shard-fixtures")
        defer { workspace.remove() }
        let roots = [TestEnvironment.evidence.path, TestEnvironment.hashsets.path]
        let sets = TestEnvironment.fixtureSetArguments
        let single = workspace.child("single")
        #expect(try ProcessRunner.blindfold(["scan"] + roots + ["--out", single.path] + sets).exitCode == 1)
        for count in [1, 3, 5] {
            let shards = try Self.runShards(roots, count: count, in: workspace, sets + ["--overwrite"])
            let merged = workspace.child("merged-\(count)")
            let result = try ProcessRunner.blindfold(["merge"] + shards.reversed() + ["--out", merged.path])
            #expect(result.exitCode == 1, "known-bad matches found: \(result.stderr)")
            try Self.checkMerged(merged, equals: single)
            let header = try ParsedManifest(directory: merged).header
            let parts = (header["shards"] as? [String: Any])?["parts"] as? [[String: Any]]
            #expect(parts?.count == count && header["shard"] == nil)
            #expect(!(try String(contentsOf: merged.appendingPathComponent("manifest.jsonl"), encoding: .utf8))
                .contains(TestEnvironment.sentinel))
        }
    }

    @Test("merge equals one scan on a tree of 4000 files with an archive and a 30 MB file")
    func mergeEqualsSingleScanWithArchives() throws {
        let workspace = try TemporaryDirectory("shard-archives")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try ResumeTests.makeTree(at: root)
        let single = workspace.child("single")
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", single.path, "--progress", "off"]).exitCode == 0)
        let shards = try Self.runShards([root.path], count: 4, in: workspace)
        let merged = workspace.child("merged")
        #expect(try ProcessRunner.blindfold(["merge"] + shards + ["--out", merged.path]).exitCode == 0)
        try Self.checkMerged(merged, equals: single)
    }

    /// Asserts a refused merge: exit 2, one line naming the problem, nothing written.
    static func expectRefused(_ arguments: [String], out: URL, mentioning words: [String]) throws {
        let result = try ProcessRunner.blindfold(["merge"] + arguments + ["--out", out.path])
        #expect(result.exitCode == 2)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(result.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
    }

    @Test("merge refuses a missing, duplicated or foreign shard: exit 2, one line, nothing written")
    func refusals() throws {
        let workspace = try TemporaryDirectory("shard-refuse")
        defer { workspace.remove() }
        let roots = [TestEnvironment.evidence.path]
        let shards = try Self.runShards(roots, count: 3, in: workspace)
        let out = workspace.child("merged")
        try Self.expectRefused([shards[0], shards[2]], out: out, mentioning: ["shard 1 of 3 is missing"])
        try Self.expectRefused(shards + [shards[1]], out: out, mentioning: ["both shard 1 of 3"])
        let otherOptions = workspace.child("no-archives")
        _ = try ProcessRunner.blindfold(["scan"] + roots + ["--out", otherOptions.path, "--shard", "1/3", "--no-archives"])
        try Self.expectRefused([shards[0], otherOptions.path, shards[2]], out: out, mentioning: ["another scan", "options"])
        let otherCount = workspace.child("of-four")
        _ = try ProcessRunner.blindfold(["scan"] + roots + ["--out", otherCount.path, "--shard", "1/4"])
        try Self.expectRefused([shards[0], otherCount.path, shards[2]], out: out, mentioning: ["different scans"])
        let otherRoots = workspace.child("other-roots")
        _ = try ProcessRunner.blindfold(["scan", TestEnvironment.hashsets.path, "--out", otherRoots.path, "--shard", "1/3"])
        try Self.expectRefused([shards[0], otherRoots.path, shards[2]], out: out, mentioning: ["roots"])
        let single = workspace.child("single")
        _ = try ProcessRunner.blindfold(["scan"] + roots + ["--out", single.path])
        try Self.expectRefused([single.path], out: out, mentioning: ["not a shard"])
        // A manifest changed after it was written no longer matches its sidecar.
        let tampered = workspace.child("tampered")
        _ = try ProcessRunner.run("/bin/cp", ["-r", shards[1], tampered.path])
        let handle = try FileHandle(forWritingTo: tampered.appendingPathComponent("manifest.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        try Self.expectRefused([shards[0], tampered.path, shards[2]], out: out, mentioning: ["sidecar"])
        // The evidence changed between two shards' listings.
        let copy = workspace.child("evidence-copy")
        _ = try ProcessRunner.run("/bin/cp", ["-a", TestEnvironment.evidence.path, copy.path])
        let before = try Self.runShards([copy.path], count: 2, in: workspace, ["--overwrite"])
        try Data("new".utf8).write(to: copy.appendingPathComponent("added-later.txt"))
        let after = workspace.child("after")
        _ = try ProcessRunner.blindfold(["scan", copy.path, "--out", after.path, "--shard", "1/2"])
        try Self.expectRefused([before[0], after.path], out: out, mentioning: ["different tree"])
    }

    @Test("a shard killed mid-way: merge refuses it naming the shard and --resume; resumed, the merge equals one scan")
    func killedShardResumedThenMerged() throws {
        let workspace = try TemporaryDirectory("shard-resume")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try ResumeTests.makeTree(at: root)
        let single = workspace.child("single")
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", single.path, "--progress", "off"]).exitCode == 0)
        var shards = try Self.runShards([root.path], count: 2, in: workspace)
        // Shard 1 again, killed once it has journaled a few checkpoints.
        let killed = workspace.child("killed-1")
        var killedAt = 0
        _ = try ProcessRunner.run(
            TestEnvironment.binary.path,
            ["scan", root.path, "--out", killed.path, "--shard", "1/2", "--checkpoint-bytes", "4096", "--progress", "off"],
            onStart: { process in
                _ = ResumeTests.wait(seconds: 60) { ResumeTests.checkpoints(in: killed) >= 4 || !process.isRunning }
                if kill(process.processIdentifier, SIGKILL) == 0 { killedAt = ResumeTests.checkpoints(in: killed) }
            })
        try #require(killedAt >= 4, "the shard was killed mid-way")
        shards[1] = killed.path
        let out = workspace.child("merged")
        try Self.expectRefused(shards, out: out, mentioning: ["shard 1 of 2", "unfinished", "scan --resume \(killed.path)"])
        let resumed = try ProcessRunner.blindfold(["scan", "--resume", killed.path, "--progress", "off"])
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        #expect(try ProcessRunner.blindfold(["merge"] + shards + ["--out", out.path]).exitCode == 0)
        try Self.checkMerged(out, equals: single)
    }

    // MARK: The command line

    @Test("--shard is checked (one line, exit 2, nothing written); triage refuses it and says why in its help")
    func commandLine() throws {
        let workspace = try TemporaryDirectory("shard-cli")
        defer { workspace.remove() }
        let out = workspace.child("out")
        for bad in ["3/3", "-1/2", "1", "a/b", "0/0"] {
            let result = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", out.path, "--shard", bad])
            #expect(result.exitCode == 2 && result.stderrLines.count == 1, "\(bad): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
        let triage = try ProcessRunner.blindfold(
            ["triage", TestEnvironment.evidence.path, "--out", out.path, "--shard", "0/2"] + TestEnvironment.fixtureSetArguments)
        #expect(triage.exitCode == 2 && triage.stderrLines.count == 1 && triage.stderr.contains("triage does not shard"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let help = try ProcessRunner.blindfold(["triage", "--help"])
        #expect(help.stdout.contains("Triage does not shard"))
        let scanHelp = try ProcessRunner.blindfold(["scan", "--help"])
        #expect(scanHelp.stdout.contains("--shard"))
    }
}
