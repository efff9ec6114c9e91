import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `--resume` proves the evidence it skips is what the earlier run recorded, or refuses.
@Suite("Resume proves the evidence unchanged")
struct ResumeEvidenceTests {
    static func python(_ code: String) throws {
        let run = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", code])
        #expect(run.exitCode == 0, "\(run.stderr)")
    }

    @Test("A file added, or a file's time changed, before the checkpoint: refused (exit 2, nothing written); restored: resumed")
    func changedEvidenceIsRefused() throws {
        let workspace = try TemporaryDirectory("resume-evidence")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try ResumeTests.makeTree(at: root)
        let reference = workspace.child("reference")
        #expect(try ProcessRunner.blindfold(["scan", root.path, "--out", reference.path, "--progress", "off"]).exitCode == 0)
        let output = workspace.child("killed")
        _ = try ProcessRunner.run(
            TestEnvironment.binary.path,
            ["scan", root.path, "--out", output.path, "--checkpoint-bytes", "16384", "--progress", "off"],
            onStart: { process in
                _ = ResumeTests.wait(seconds: 60) { ResumeTests.checkpoints(in: output) >= 3 || !process.isRunning }
                kill(process.processIdentifier, SIGKILL)
            })
        try #require(ResumeTests.checkpoints(in: output) >= 3)
        let partial = output.appendingPathComponent(".manifest.jsonl.partial")
        let before = try Data(contentsOf: partial)

        // A file that sorts first (d00/a... before d00/f000.bin) shifts the walk at entry 1.
        let added = root.appendingPathComponent("d00/a-added.bin")
        try Data("added after the interruption".utf8).write(to: added)
        let refused = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(refused.exitCode == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("the evidence changed since the interrupted run: walk entry 1 is another object"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("a-added"), "the terminal never shows names")
        #expect(try Data(contentsOf: partial) == before, "a refused resume changes nothing")
        try FileManager.default.removeItem(at: added)

        // The second file's modification time moved by one second, then put back to the nanosecond.
        let second = root.appendingPathComponent("d00/f001.bin").path
        try Self.python("import os; s=os.stat('\(second)'); os.utime('\(second)', ns=(s.st_atime_ns, s.st_mtime_ns + 10**9))")
        let touched = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(touched.exitCode == 2)
        #expect(touched.stderr.contains("walk entry 2 changed its modification time"), "\(touched.stderr)")
        try Self.python("import os; s=os.stat('\(second)'); os.utime('\(second)', ns=(s.st_atime_ns, s.st_mtime_ns - 10**9))")

        let resumed = try ProcessRunner.blindfold(["scan", "--resume", output.path])
        #expect(resumed.exitCode == 0, "\(resumed.stderr)")
        #expect(try ResumeTests.itemLines(output) == ResumeTests.itemLines(reference))
    }
}
