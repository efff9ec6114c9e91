import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// libarchive runs in container workers: a parser that crashes, hangs or allocates without
/// bound costs its container (recorded with what happened), never the scan; the members it
/// listed before keep their records, the container keeps its digests (the one read pass goes
/// on), and sibling items are intact.
@Suite("Container worker isolation")
struct ContainerIsolationTests {
    /// The hostile containers and their members' SHA-256 computed by hashlib
    /// (`Tests/Tools/make_hostile_containers.py`).
    static func hostileTree(in work: TemporaryDirectory) throws -> [String: String] {
        let tool = TestEnvironment.repository.appendingPathComponent("Tests/Tools/make_hostile_containers.py").path
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", tool, work.child("evidence").path])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: work.child("members.json")))
        return try #require(json as? [String: String])
    }

    static func memberPath(_ item: [String: Any]) -> String {
        let layers = item["layers"] as? [[String: Any]] ?? []
        return ([item.string("path") ?? ""] + layers.compactMap { $0["member"] as? String }).joined(separator: "/")
    }

    @Test("A crashing, a hanging and a memory-hungry parser, and libarchive's XAR hard-link loop, each cost one container")
    func faultsCostOneContainer() throws {
        let work = try TemporaryDirectory("container-isolation")
        defer { work.remove() }
        let digests = try Self.hostileTree(in: work)
        var environment = ProcessInfo.processInfo.environment
        environment["BLINDFOLD_WORKER_FAULTS"] = "1"
        let started = Date()
        // GNU time reports the peak resident size of the scanner and of its largest worker.
        let result = try ProcessRunner.run(
            "/usr/bin/time",
            ["-f", "peak-kb=%M", TestEnvironment.binary.path, "scan", work.child("evidence").path, "--out", work.child("out").path,
             "--jobs", "1", "--container-timeout", "2", "--worker-memory", String(520 << 20), "--progress", "off"],
            environment: environment)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        let peak = result.stderrLines.last { $0.hasPrefix("peak-kb=") }.flatMap { Int($0.dropFirst(8)) } ?? Int.max
        #expect(peak < 700 * 1024, "peak resident size \(peak) KiB")

        let manifest = try ParsedManifest(directory: work.child("out"))
        let byPath = Dictionary(manifest.items.map { (Self.memberPath($0), $0) }, uniquingKeysWith: { first, _ in first })
        let expectations: [(String, String, String)] = [
            ("crash.tar", "corrupt", "the parser crashed: its worker was stopped by signal 11 (SIGSEGV"),
            ("hang.tar", "limit", "container_timeout: the parser timed out (no member, member data or container block for 2 s)"),
            ("memory.tar", "limit", "container_memory: the parser filled its worker's address space (--worker-memory)"),
            ("xar-doublelink.xar", "limit", "container_timeout: the parser timed out"),
        ]
        for (name, status, reason) in expectations {
            let record = try #require(byPath[name], "\(name) has no record")
            #expect(record.string("status") == status, "\(name): \(record)")
            #expect(record.string("reason")?.hasPrefix(reason) == true, "\(name): \(record.string("reason") ?? "")")
            // The container's own bytes were still read in full and hashed.
            #expect(record.object("hashes")?.string("sha256") == digests[name], "\(name) digest")
        }
        // Members listed before the fault keep their records and digests (hashlib's).
        for container in ["crash.tar", "hang.tar", "memory.tar"] {
            for member in ["m0.bin", "m1.bin", "m2.bin"] {
                let record = try #require(byPath["\(container)/\(member)"], "\(container)/\(member) lost")
                #expect(record.string("status") == "ok")
                #expect(record.object("hashes")?.string("sha256") == digests["\(container)/\(member)"])
            }
            #expect(byPath["\(container)/after.bin"] == nil, "nothing is listed after the fault")
        }
        // The siblings are intact: a plain file and a healthy archive's members.
        #expect(byPath["sibling.txt"]?.object("hashes")?.string("sha256") == digests["sibling.txt"])
        #expect(byPath["good.tar.gz"]?.string("status") == "ok")
        for index in 0..<4 {
            for name in ["good.tar.gz/dir/g\(index).bin", "nested.tar/inner/good.tar.gz/dir/g\(index).bin"] {
                #expect(byPath[name]?.object("hashes")?.string("sha256") == digests[name], "\(name)")
            }
        }
        #expect(manifest.header.object("options")?.string("containers") == "workers")
        #expect(manifest.header.object("options")?["container_timeout_s"] as? Double == 2)
        // No container worker outlives the scan.
        let workers = try ProcessRunner.run("/usr/bin/pgrep", ["-f", "worker --containers --worker-memory \(520 << 20)"])
        #expect(workers.stdout.isEmpty)
    }

    @Test("libarchive's own loops, synthesised: a Rock Ridge CE loop and a gzip whose inner name never ends cost their container")
    func parserLoopsCostOneContainer() throws {
        let work = try TemporaryDirectory("container-loops")
        defer { work.remove() }
        let tool = TestEnvironment.repository.appendingPathComponent("Tests/Tools/make_parser_loops.py").path
        let evidence = work.child("evidence")
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", tool, evidence.path])
        #expect(made.exitCode == 0, "\(made.stderr)")
        // sha256sum is the independent oracle for the containers' own digests.
        var digests: [String: String] = [:]
        for name in ["rockridge-ce-loop.iso", "gzip-name-bomb.gz", "sibling.txt"] {
            let sum = try ProcessRunner.run("/usr/bin/sha256sum", [evidence.appendingPathComponent(name).path])
            digests[name] = String(sum.stdout.prefix(64))
        }
        let started = Date()
        let result = try ProcessRunner.run(
            "/usr/bin/time",
            ["-f", "peak-kb=%M", TestEnvironment.binary.path, "scan", evidence.path, "--out", work.child("out").path,
             "--jobs", "1", "--container-timeout", "10", "--worker-memory", String(540 << 20), "--progress", "off"])
        let took = Date().timeIntervalSince(started)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(took < 30, "the scan took \(took) s")
        let peak = result.stderrLines.last { $0.hasPrefix("peak-kb=") }.flatMap { Int($0.dropFirst(8)) } ?? Int.max
        #expect(peak < 700 * 1024, "peak resident size \(peak) KiB")
        let manifest = try ParsedManifest(directory: work.child("out"))
        #expect(manifest.items.count == 3, "one record per file, no member")
        // The ISO's name grows until the worker's address space is spent: libarchive ends
        // the process (exit 1) or reports the allocation; either way the container pays.
        let iso = try #require(manifest.item("rockridge-ce-loop.iso"))
        let isoReason = iso.string("reason") ?? ""
        #expect(
            (iso.string("status") == "corrupt" && isoReason.hasPrefix("the parser crashed: its worker"))
                || (iso.string("status") == "limit" && isoReason.hasPrefix("container_")),
            "\(iso)")
        // The gzip's bidder holds the endless name in one growing buffer.
        let gzip = try #require(manifest.item("gzip-name-bomb.gz"))
        let gzipReason = gzip.string("reason") ?? ""
        #expect(
            (gzip.string("status") == "limit" && gzipReason.hasPrefix("container_"))
                || (gzip.string("status") == "corrupt" && gzipReason.hasPrefix("the parser crashed: its worker")),
            "\(gzip)")
        for name in ["rockridge-ce-loop.iso", "gzip-name-bomb.gz", "sibling.txt"] {
            #expect(manifest.item(name)?.object("hashes")?.string("sha256") == digests[name], "\(name) digest")
        }
        #expect(manifest.item("sibling.txt")?.string("status") == "ok")
        // A cap of its own, so the other tests' workers are not counted.
        let workers = try ProcessRunner.run("/usr/bin/pgrep", ["-f", "worker --containers --worker-memory \(540 << 20)"])
        #expect(workers.stdout.isEmpty)
    }

    @Test("A triage whose budget runs out while a parser hangs says so")
    func budgetWhileParserHangs() throws {
        let work = try TemporaryDirectory("container-budget")
        defer { work.remove() }
        _ = try Self.hostileTree(in: work)
        let evidence = work.child("hang")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: work.child("evidence/xar-doublelink.xar"), to: evidence.appendingPathComponent("loop.xar"))
        // A known-bad set is required; this one matches nothing here.
        let set = work.child("set.sha256")
        try Data((String(repeating: "ab", count: 32) + "\n").utf8).write(to: set)
        let started = Date()
        let result = try ProcessRunner.blindfold(
            ["triage", evidence.path, "--out", work.child("out").path, "--budget", "3s", "--container-timeout", "600",
             "--known-bad", set.path])
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(result.exitCode == 3, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: work.child("out"))
        let record = try #require(manifest.item("loop.xar"))
        #expect(record.string("status") == "skipped", "\(record)")
        #expect(record.string("reason") == "the time budget ran out while its members were listed; the parser's worker was stopped")
    }

    @Test("Container workers and --containers-in-process give identical item lines")
    func inProcessEqualsWorkers() throws {
        let work = try TemporaryDirectory("container-equal")
        defer { work.remove() }
        _ = try Self.hostileTree(in: work)
        let evidence = work.child("plain")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        for name in ["good.tar.gz", "nested.tar", "sibling.txt"] {
            try FileManager.default.copyItem(at: work.child("evidence/\(name)"), to: evidence.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(
            at: TestEnvironment.fixtures.appendingPathComponent("evidence"), to: evidence.appendingPathComponent("fixtures"))
        let isolated = try ProcessRunner.blindfold(["scan", evidence.path, "--out", work.child("a").path])
        let inside = try ProcessRunner.blindfold(["scan", evidence.path, "--out", work.child("b").path, "--containers-in-process"])
        #expect(isolated.exitCode == 0 && inside.exitCode == 0, "\(isolated.stderr) \(inside.stderr)")
        let a = try ParsedManifest(directory: work.child("a")), b = try ParsedManifest(directory: work.child("b"))
        #expect(a.itemLines == b.itemLines)
        #expect(a.items.contains { ($0["layers"] as? [Any])?.count == 2 }, "a nested member was listed")
        #expect(b.header.object("options")?.string("containers") == "in-process")
    }

    /// Waits until `scanner` has a container worker (its parser is at work), `settle` µs more,
    /// then sends it one SIGTERM; returns when it was sent.
    static func terminateOnceWorkerRuns(_ scanner: Process, settle: UInt32) -> Date {
        for _ in 0..<100 {
            usleep(100_000)
            let child = try? ProcessRunner.run("/usr/bin/pgrep", ["-f", "-P", String(scanner.processIdentifier), "worker --containers"])
            if child?.stdout.isEmpty == false { break }
        }
        usleep(settle)
        let sent = Date()
        kill(scanner.processIdentifier, SIGTERM)
        return sent
    }

    @Test("One SIGTERM ends a scan within seconds while a parser hangs")
    func signalEndsHungParser() throws {
        let work = try TemporaryDirectory("container-signal")
        defer { work.remove() }
        _ = try Self.hostileTree(in: work)
        let evidence = work.child("hang")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: work.child("evidence/xar-doublelink.xar"), to: evidence.appendingPathComponent("loop.xar"))
        var sent = Date()
        let result = try ProcessRunner.run(
            TestEnvironment.binary.path,
            ["scan", evidence.path, "--out", work.child("out").path, "--container-timeout", "600", "--progress", "off"],
            onStart: { scanner in sent = Self.terminateOnceWorkerRuns(scanner, settle: 500_000) })
        let took = Date().timeIntervalSince(sent)
        #expect(result.exitCode == 3, "\(result.stderr)")
        #expect(took < 5, "the scan took \(took) s to end after SIGTERM")
        let manifest = try ParsedManifest(directory: work.child("out"))
        #expect(manifest.summary["complete"] as? Bool == false)
        let record = try #require(manifest.item("loop.xar"))
        #expect(record.string("status") == "skipped", "\(record)")
    }
}
