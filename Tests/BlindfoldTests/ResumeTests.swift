import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Long lab scans survive SIGINT, SIGTERM, crashes and `kill -9`: `--resume` finishes the work
/// without reading again what was recorded, and the item lines equal an uninterrupted scan's.
@Suite("Resumable scans")
struct ResumeTests {
    /// 40 folders of 100 small files, an archive in the middle, a larger file near the end.
    static func makeTree(at root: URL) throws {
        var bytes = SeededBytes(seed: 99)
        for folder in 0..<40 {
            let directory = root.appendingPathComponent(String(format: "d%02d", folder))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in 0..<100 {
                let size = Int(bytes.next(2).reduce(0) { $0 << 8 | Int($1) }) % 4000 + 1
                try Data(bytes.next(size)).write(to: directory.appendingPathComponent(String(format: "f%03d.bin", file)))
            }
        }
        try ArchiveTests.shell("""
            cd '\(root.path)/d20' && bsdtar --format zip -cf ../d20/z-archive.zip f000.bin f001.bin f002.bin \
            && head -c 30000000 /dev/zero | tr '\\\\0' 'a' > '\(root.path)/d39/large.txt'
            """)
    }

    static func itemLines(_ directory: URL) throws -> [String] {
        try ParsedManifest(directory: directory).itemLines
    }

    static func summaryCounts(_ directory: URL) throws -> String {
        let summary = try ParsedManifest(directory: directory).summary
        let keys = ["items", "bytes", "member_bytes", "by_status", "matches", "limits_hit"]
        let data = try JSONSerialization.data(withJSONObject: keys.map { summary[$0] ?? NSNull() }, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Polls until `condition` holds (true) or `seconds` pass (false).
    static func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(1_000)
        }
        return condition()
    }

    /// Checkpoints the scan in `directory` has journaled so far.
    static func checkpoints(in directory: URL) -> Int {
        guard let journal = FileManager.default.contents(atPath: directory.appendingPathComponent(".scan.journal").path)
        else { return 0 }
        return journal.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    @Test("kill -9 at several points, then --resume: item lines and tallies equal an uninterrupted scan",
          arguments: [0.05, 0.3, 0.6, 0.9])
    func killAndResume(atShare share: Double) throws {
        let workspace = try TemporaryDirectory("resume")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try Self.makeTree(at: root)
        let reference = workspace.child("reference")
        let sets = TestEnvironment.fixtureSetArguments
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", reference.path] + sets).exitCode == 0)

        // Killed once a share of the checkpoints the whole scan makes is on disk, so the kill
        // always lands mid-scan, whatever the machine's speed.
        let checkpointBytes = 16384
        let manifestSize = try FileManager.default.attributesOfItem(
            atPath: reference.appendingPathComponent("manifest.jsonl").path)[.size] as? Int ?? 0
        let target = max(2, Int(Double(manifestSize / checkpointBytes) * share))
        let output = workspace.child("killed")
        var killedAt = 0
        _ = try ProcessRunner.run(
            TestEnvironment.binary.path,
            ["scan", root.path, "--out", output.path, "--checkpoint-bytes", "\(checkpointBytes)"] + sets,
            onStart: { process in
                _ = Self.wait(seconds: 60) { Self.checkpoints(in: output) >= target || !process.isRunning }
                if kill(process.processIdentifier, SIGKILL) == 0 { killedAt = Self.checkpoints(in: output) }
            })
        try #require(killedAt >= target, "the scan was killed mid-way, after \(killedAt) of \(target) checkpoints")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("manifest.jsonl").path))
        let resumed = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        let header = try ParsedManifest(directory: output).header
        #expect((header["resumed"] as? [[String: Any]])?.count == 1, "the header records both runs")
        #expect(try Self.itemLines(output) == Self.itemLines(reference))
        #expect(try Self.summaryCounts(output) == Self.summaryCounts(reference))
        let check = try ProcessRunner.run("/bin/sh", ["-c", "cd '\(output.path)' && sha256sum -c manifest.jsonl.sha256"])
        #expect(check.exitCode == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(left == ["manifest.jsonl", "manifest.jsonl.sha256"], "journal and invocation are removed when done")
    }

    @Test("kill -9 while an archive is being expanded, then --resume: the archive is read again, whole")
    func killMidArchive() throws {
        let workspace = try TemporaryDirectory("resume-archive")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try ArchiveTests.shell("""
            cd '\(workspace.path)' && printf 'before\\n' > evidence/a-before.txt && printf 'after\\n' > evidence/c-after.txt \
            && printf 'small member\\n' > small.txt && truncate -s 6G huge.img \
            && bsdtar --format pax -cf evidence/b-archive.tar small.txt huge.img
            """)
        let options = ["--expansion-ratio", "100000000", "--plugins", "sha256", "--checkpoint-bytes", "1"]
        let reference = workspace.child("reference")
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", reference.path] + options).exitCode == 0)
        let output = workspace.child("killed")
        _ = try ProcessRunner.run(
            TestEnvironment.binary.path, ["scan", root.path, "--out", output.path] + options,
            onStart: { process in
                usleep(1_200_000)
                kill(process.processIdentifier, SIGKILL)
            })
        #expect(!FileManager.default.fileExists(atPath: output.path + "/manifest.jsonl"), "killed mid-archive")
        let resumed = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        #expect(try Self.itemLines(output) == Self.itemLines(reference))
        #expect(try Self.itemLines(output).count == 5, "a-before, the archive, its 2 members, c-after")
    }

    @Test("SIGINT gives complete:false; --resume then completes it with identical item lines")
    func interruptAndResume() throws {
        let workspace = try TemporaryDirectory("resume-int")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try Self.makeTree(at: root)
        // A sparse file that takes long to hash, so the interrupt lands while it is read.
        #expect(truncate(root.appendingPathComponent("d39/zz-sparse.img").path, 0) == 0
            || FileManager.default.createFile(atPath: root.appendingPathComponent("d39/zz-sparse.img").path, contents: nil))
        #expect(truncate(root.appendingPathComponent("d39/zz-sparse.img").path, 6 << 30) == 0)
        let reference = workspace.child("reference")
        let output = workspace.child("interrupted")
        let first = try ProcessRunner.run(
            TestEnvironment.binary.path, ["scan", root.path, "--out", output.path],
            onStart: { process in
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline, !FileManager.default.fileExists(atPath: output.path + "/.scan.journal") {
                    usleep(50_000)
                }
                usleep(1_500_000)
                kill(process.processIdentifier, SIGINT)
            })
        #expect(first.exitCode == 3)
        #expect(first.stderr.contains("--resume"))
        #expect(try ParsedManifest(directory: output).summary["complete"] as? Bool == false)
        let resumed = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", reference.path]).exitCode == 0)
        #expect(try Self.itemLines(output) == Self.itemLines(reference))
        #expect(try ParsedManifest(directory: output).summary["complete"] as? Bool == true)
    }

    @Test("a scan killed before its first checkpoint (invocation saved, no journal yet) resumes by starting over")
    func resumeBeforeFirstCheckpoint() throws {
        let workspace = try TemporaryDirectory("resume-early")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try Self.makeTree(at: root)
        let sets = TestEnvironment.fixtureSetArguments
        let reference = workspace.child("reference")
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", reference.path] + sets).exitCode == 0)
        // The state such a kill leaves, made exactly: a killed scan minus its journal and
        // partial manifest, so only the recorded invocation remains.
        let output = workspace.child("early")
        var killed = false
        _ = try ProcessRunner.run(
            TestEnvironment.binary.path, ["scan", root.path, "--out", output.path, "--checkpoint-bytes", "16384"] + sets,
            onStart: { process in
                _ = Self.wait(seconds: 60) {
                    FileManager.default.fileExists(atPath: output.appendingPathComponent(".scan.json").path) || !process.isRunning
                }
                killed = kill(process.processIdentifier, SIGKILL) == 0
            })
        try #require(killed, "the scan was killed before it finished")
        try #require(FileManager.default.fileExists(atPath: output.appendingPathComponent(".scan.json").path))
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("manifest.jsonl").path))
        for name in [".scan.journal", ".manifest.jsonl.partial"] {
            try? FileManager.default.removeItem(at: output.appendingPathComponent(name))
        }
        let resumed = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        #expect(try Self.itemLines(output) == Self.itemLines(reference))
    }

    @Test("--resume refuses folders without an interrupted scan, and a new scan refuses an unfinished one")
    func resumeErrors() throws {
        let workspace = try TemporaryDirectory("resume-errors")
        defer { workspace.remove() }
        let empty = try ProcessRunner.blindfold(["scan", "--resume", workspace.path])
        #expect(empty.exitCode == 2)
        #expect(empty.stderrLines.count == 1)
        let both = try ProcessRunner.blindfold(["scan", "--resume", workspace.path, TestEnvironment.evidence.path])
        #expect(both.exitCode == 2)
        let output = workspace.child("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: output.path + "/.manifest.jsonl.partial", contents: Data("x\n".utf8))
        let fresh = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", output.path])
        #expect(fresh.exitCode == 2)
        #expect(fresh.stderr.contains("unfinished scan"))
    }
}

@Suite("Progress and logs")
struct ProgressAndLogTests {
    @Test("--progress json writes well-formed progress lines on stderr, the last one final")
    func progressJSON() throws {
        let workspace = try TemporaryDirectory("progress")
        defer { workspace.remove() }
        let result = try ProcessRunner.blindfold([
            "scan", TestEnvironment.evidence.path, "--out", workspace.child("out").path, "--progress", "json",
        ])
        #expect(result.exitCode == 0)
        let lines = result.stderrLines
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["record"] as? String == "progress")
            #expect(object["items_done"] is NSNumber && object["bytes"] is NSNumber)
        }
        let last = try #require(try JSONSerialization.jsonObject(with: Data((lines.last ?? "").utf8)) as? [String: Any])
        #expect(last["final"] as? Bool == true)
        #expect((last["items_done"] as? NSNumber)?.intValue == 22)
        #expect(!result.stderr.contains(TestEnvironment.sentinel) && !result.stderr.contains("IMG_0001"))
    }

    @Test("--log-file receives the log lines (ids and statuses, never names or content) and is refused inside a root")
    func logFile() throws {
        let workspace = try TemporaryDirectory("logfile")
        defer { workspace.remove() }
        let log = workspace.child("scan.log")
        let result = try ProcessRunner.blindfold([
            "scan", TestEnvironment.evidence.path, "/dev/null", "--out", workspace.child("out").path,
            "--log-file", log.path, "--log-level", "debug",
        ])
        #expect(result.exitCode == 0)
        #expect(result.stderr.isEmpty)
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("worker started"))
        #expect(text.contains("status=not-opened"))
        #expect(!text.contains(TestEnvironment.sentinel) && !text.contains("IMG_0001") && !text.contains("null"))
        let refused = try ProcessRunner.blindfold([
            "scan", TestEnvironment.evidence.path, "--out", workspace.child("out2").path,
            "--log-file", TestEnvironment.evidence.path + "/scan.log",
        ])
        #expect(refused.exitCode == 2)
        #expect(!FileManager.default.fileExists(atPath: TestEnvironment.evidence.path + "/scan.log"))
    }
}
