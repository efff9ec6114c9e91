import BlindfoldCore
import CryptoHashes
import Dispatch
import Evidence
import Foundation
import KnownHashes
import Logging
import Manifest
import Synchronization
@testable import Scanner
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Attacks on the walk itself: a chain of 100,000 nested folders, and a parser that never
/// returns while the scan is interrupted.
@Suite("Walk depth and interruption")
struct WalkDepthTests {
    /// Makes `depth` nested folders named `d` under `root`, by descriptor; `files` maps a level
    /// (0 = root) to files written there.
    static func makeChain(at root: URL, depth: Int, files: [Int: [(String, String)]]) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var directory = open(root.path, O_RDONLY | O_DIRECTORY)
        try #require(directory >= 0)
        for level in 0...depth {
            for (name, text) in files[level] ?? [] {
                let fd = openat(directory, name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                try #require(fd >= 0)
                _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
                close(fd)
            }
            guard level < depth else { break }
            try #require(mkdirat(directory, "d", 0o755) == 0)
            let next = openat(directory, "d", O_RDONLY | O_DIRECTORY)
            close(directory)
            directory = next
            try #require(directory >= 0)
        }
        close(directory)
    }

    @Test("a chain of 100,000 nested folders is walked in linear time; files at the bottom, the middle and after the chain are all read")
    func deepChain() throws {
        let workspace = try TemporaryDirectory("deep-chain")
        defer { _ = try? ProcessRunner.run("/bin/rm", ["-rf", workspace.path]) }
        let root = workspace.child("evidence")
        let depth = 100_000
        // "z.txt" at level 1,000 sorts after "d": the walk must climb back to a folder whose
        // descriptor it let go of, 99,000 levels up.
        try Self.makeChain(at: root, depth: depth, files: [
            1_000: [("z.txt", "abc")], 50_000: [("mid.txt", "abc")], depth: [("bottom.txt", "abc")],
        ])
        let started = Date()
        let output = workspace.child("out")
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", output.path, "--progress", "off"])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(seconds < 60, "took \(seconds) s")
        let manifest = try ParsedManifest(directory: output)
        let items = manifest.items
        #expect(items.count == 3)
        let chain = { (levels: Int) in Array(repeating: "d", count: levels).joined(separator: "/") }
        #expect(items.map { $0["path"] as? String } == [
            chain(depth) + "/bottom.txt", chain(50_000) + "/mid.txt", chain(1_000) + "/z.txt",
        ])
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  // sha256("abc")
        #expect(items.allSatisfy { ($0["hashes"] as? [String: Any])?["sha256"] as? String == abc })
    }

    @Test("the walker asks whether to stop before every step, even inside a chain that yields nothing")
    func walkerStops() throws {
        let workspace = try TemporaryDirectory("walk-stop")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try Self.makeChain(at: root, depth: 2_000, files: [2_000: [("bottom.txt", "x")]])
        let asked = Mutex(0)
        let walker = FileSystemWalker(roots: [PathBytes(root.path)], shouldStop: {
            asked.withLock { count in
                count += 1
                return count > 100
            }
        })
        #expect(walker.next() == nil, "stopped before reaching the bottom")
        #expect(asked.withLock { $0 } == 101)
        let unstopped = FileSystemWalker(roots: [PathBytes(root.path)])
        #expect(unstopped.next()?.path.relative.lastComponent == PathBytes("bottom.txt"))
    }

    @Test("one interruption ends a scan whose parser never returns: the manifest is closed, complete: false, within seconds")
    func stuckParser() throws {
        let workspace = try TemporaryDirectory("stuck")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("first".utf8).write(to: root.appendingPathComponent("a.txt"))
        try Data(FakeArchive.build([.file("m", [1])])).write(to: root.appendingPathComponent("b.fake"))
        try Data("last".utf8).write(to: root.appendingPathComponent("c.txt"))
        let output = workspace.child("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let hang = HangingFormat()
        defer { hang.release() }
        var configuration = ScanConfiguration(
            roots: [PathBytes(root.path)], outputDirectory: output.path, registry: try PluginRegistry(CryptoHashes.all),
            matcher: HashMatcher(sets: []), jobs: 2, toolVersion: "test")
        configuration.containerFormats = [hang]
        let interrupt = InterruptFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { interrupt.raise() }
        let started = Date()
        let outcome = try Scan(configuration: configuration, logger: Logger(label: "test"))
            .run(interrupt: interrupt, progress: ScanProgress())
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < Scan.stopGraceSeconds + 3, "took \(seconds) s")
        #expect(hang.entered, "the parser was stuck when the scan was interrupted")
        #expect(!outcome.complete)
        let manifest = try ParsedManifest(directory: output)
        #expect(manifest.items.map { $0["path"] as? String } == ["a.txt"], "nothing at or after the stuck entry")
        #expect(manifest.summary["complete"] as? Bool == false)
    }
}

/// A container format whose parser blocks until released: a library stuck in a loop.
final class HangingFormat: ContainerFormat {
    private let gate = DispatchSemaphore(value: 0)
    private let state = Mutex(false)

    var entered: Bool { state.withLock { $0 } }

    func release() { gate.signal() }

    func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        head.starts(with: FakeArchive.magic) ? .streaming : nil
    }

    func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        state.withLock { $0 = true }
        gate.wait()
        throw ItemReadError(status: .corrupt, reason: "released")
    }
}
