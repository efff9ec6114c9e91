import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT finishes cleanly: the manifest is whole, says `complete: false`, and the exit code is 3.
@Suite("Interruption")
struct InterruptTests {
    @Test("SIGINT during a long read gives complete:false, exit 3 and a record for the item")
    func sigintWritesIncompleteManifest() throws {
        let workspace = try TemporaryDirectory("interrupt")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("small\n".utf8).write(to: root.appendingPathComponent("a-small.txt"))
        // A sparse 64 GiB file: costs no disk, takes minutes to hash, so the signal lands mid-read.
        let big = root.appendingPathComponent("b-sparse.img").path
        #expect(truncate(big, 64 << 30) == 0 || (FileManager.default.createFile(atPath: big, contents: nil)
            && truncate(big, 64 << 30) == 0))
        let output = workspace.child("out")
        let started = Date()
        let result = try ProcessRunner.run(
            TestEnvironment.binary.path, ["scan", root.path, "--out", output.path],
            onStart: { process in
                // Wait until the big file is being read, then interrupt.
                let deadline = Date().addingTimeInterval(20)
                while Date() < deadline {
                    usleep(100_000)
                    if let listing = try? FileManager.default.contentsOfDirectory(atPath: output.path),
                        listing.contains(where: { $0.hasPrefix(".manifest.jsonl.partial") })
                    {
                        usleep(700_000)
                        break
                    }
                }
                kill(process.processIdentifier, SIGINT)
            })
        #expect(Date().timeIntervalSince(started) < 60, "the scan must stop promptly")
        #expect(result.exitCode == 3, "stderr: \(result.stderr)")
        let manifest = try ParsedManifest(directory: output)
        #expect(manifest.summary["complete"] as? Bool == false)
        #expect(manifest.item("a-small.txt")?.string("status") == "ok")
        let sparse = try #require(manifest.item("b-sparse.img"))
        #expect(sparse.string("status") == "skipped")
        #expect(sparse.string("reason")?.contains("interrupted") == true)
        #expect(sparse.object("hashes") == nil, "a partly read item has no digests")
        #expect(result.stdout.contains("INCOMPLETE"))
        let check = try ProcessRunner.run("/bin/sh", ["-c", "cd '\(output.path)' && sha256sum -c manifest.jsonl.sha256"])
        #expect(check.exitCode == 0)
    }
}
