import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Decoders run in worker processes: a worker that crashes, hangs or exhausts its memory cap
/// costs one item's perceptual hashes, never the scan.
@Suite("Decoder worker isolation")
struct IsolationTests {
    static let pattern = TestEnvironment.fixtures.appendingPathComponent("images/formats/pattern.png")

    /// A tree of good images with three poisoned ones between them (the marker makes the
    /// test-only fault injection of the worker crash, hang or hoard memory).
    static func poisonedTree(_ root: URL) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let png = try Data(contentsOf: pattern)
        for (name, marker) in [("a-good.png", ""), ("b-crash.png", "BLINDFOLD-FAULT-CRASH"), ("c-good.png", ""),
                               ("d-hang.png", "BLINDFOLD-FAULT-HANG"), ("e-good.png", ""),
                               ("f-memory.png", "BLINDFOLD-FAULT-MEMORY"), ("g-good.png", "")] {
            try (png + Data(marker.utf8)).write(to: root.appendingPathComponent(name))
        }
        try Data("not an image\n".utf8).write(to: root.appendingPathComponent("notes.txt"))
    }

    @Test("A crashing, a hanging and a memory-hungry decoder each cost one item; every other item is hashed")
    func faultsCostOneItem() throws {
        let work = try TemporaryDirectory("isolation")
        defer { work.remove() }
        let root = work.child("evidence")
        try Self.poisonedTree(root)
        var environment = ProcessInfo.processInfo.environment
        environment["BLINDFOLD_WORKER_FAULTS"] = "1"
        let started = Date()
        let result = try ProcessRunner.blindfold(
            ["scan", root.path, "--out", work.child("out").path, "--jobs", "1", "--item-timeout", "3",
             "--worker-memory", String(512 << 20)], environment: environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        let manifest = try ParsedManifest(directory: work.child("out"))
        #expect(manifest.items.count == 8)
        #expect(manifest.items.allSatisfy { $0.string("status") == "ok" })
        let reference = try #require(manifest.item("a-good.png")?.object("hashes")?.string("pdq"))
        for name in ["c-good.png", "e-good.png", "g-good.png"] {
            #expect(manifest.item(name)?.object("hashes")?.string("pdq") == reference, "\(name) after a fault")
        }
        let crash = manifest.item("b-crash.png")?.object("plugin_errors")?.string("pdq") ?? ""
        #expect(crash.hasPrefix("corrupt: the decoder worker was stopped by signal 11"), "\(crash)")
        let hang = manifest.item("d-hang.png")?.object("plugin_errors")?.string("pdq") ?? ""
        #expect(hang.hasPrefix("limit: the decoder worker spent more than 3 s"), "\(hang)")
        let memory = manifest.item("f-memory.png")?.object("plugin_errors")?.string("pdq") ?? ""
        #expect(memory.hasPrefix("corrupt: the decoder worker was stopped by signal"), "\(memory)")
        for name in ["b-crash.png", "d-hang.png", "f-memory.png"] {
            #expect(manifest.item(name)?.object("hashes")?.string("sha256")?.count == 64, "\(name) lost its digests")
        }
        // No worker outlives the scan.
        let workers = try ProcessRunner.run("/usr/bin/pgrep", ["-f", "worker-memory \(512 << 20)"])
        #expect(workers.stdout.isEmpty)
    }

    @Test("Workers and --in-process give identical item lines")
    func inProcessEqualsWorkers() throws {
        let work = try TemporaryDirectory("isolation-equal")
        defer { work.remove() }
        let images = TestEnvironment.fixtures.appendingPathComponent("images")
        let isolated = try ProcessRunner.blindfold(["scan", images.path, "--out", work.child("a").path, "--phash", "--pdq-dihedral"])
        let inside = try ProcessRunner.blindfold(
            ["scan", images.path, "--out", work.child("b").path, "--phash", "--pdq-dihedral", "--in-process"])
        #expect(isolated.exitCode == 0 && inside.exitCode == 0)
        let a = try ParsedManifest(directory: work.child("a")), b = try ParsedManifest(directory: work.child("b"))
        #expect(a.itemLines == b.itemLines)
        #expect(a.header.object("options")?.string("decoders") == "workers")
        #expect(b.header.object("options")?.string("decoders") == "in-process")
    }

    @Test("A worker stuck on an item dies with its scanner, even when the scanner is killed")
    func workersDieWithTheScanner() throws {
        let work = try TemporaryDirectory("isolation-orphan")
        defer { work.remove() }
        let root = work.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try (try Data(contentsOf: Self.pattern) + Data("BLINDFOLD-FAULT-HANG".utf8)).write(to: root.appendingPathComponent("hang.png"))
        let scanner = Process()
        scanner.executableURL = TestEnvironment.binary
        scanner.arguments = ["scan", root.path, "--out", work.child("out").path, "--item-timeout", "600"]
        var environment = ProcessInfo.processInfo.environment
        environment["BLINDFOLD_WORKER_FAULTS"] = "1"
        scanner.environment = environment
        scanner.standardOutput = FileHandle.nullDevice
        scanner.standardError = FileHandle.nullDevice
        try scanner.run()
        // Wait until the worker is busy on the poisoned item, then kill the scanner outright.
        var worker = ""
        for _ in 0..<100 where worker.isEmpty {
            usleep(100_000)
            worker = try ProcessRunner.run("/usr/bin/pgrep", ["-f", "-P", String(scanner.processIdentifier), "blindfold worker"])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(!worker.isEmpty, "no worker started")
        // The scanner restarted itself with the crash reporter off; the worker inherited that.
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(worker)/environ"))) ?? Data()
        #expect(environ.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == "SWIFT_BACKTRACE=enable=no" })
        kill(scanner.processIdentifier, SIGKILL)
        scanner.waitUntilExit()
        var alive = true
        for _ in 0..<50 where alive {
            usleep(100_000)
            alive = kill(pid_t(worker) ?? 0, 0) == 0
        }
        #expect(!alive, "the worker outlived its scanner")
    }
}
