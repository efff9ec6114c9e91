import BlindfoldCore
import CryptoHashes
import Foundation
import KnownHashes
import Logging
@testable import Scanner
import Signals
import Testing

/// Under a triage budget the first seconds of every video are hashed before the rest of any
/// video: a first pass hashes each video's start (``ItemContext/firstPass``), the rest comes
/// after every other item while the budget lasts, and a record says when it is partial.
@Suite("vPDQ triage: first frames first", .serialized)
struct VPDQTriageTests {
    /// A stand-in for vPDQ that reads the file from its descriptor: two frames in a first pass
    /// (at once), five in a whole pass (after `wholeDelay` seconds, a long video's decode).
    struct StagedVideoPlugin: DescriptorReadingPlugin {
        let wholeDelay: Double
        /// Every pass asked, in order: the item's size and whether it was a first pass.
        let passes: PassLog

        var descriptor: HashPluginDescriptor {
            HashPluginDescriptor(id: VPDQSignal.Key.features, version: "1", summary: "staged", inputMode: .wholeItem,
                                 outputKeys: VPDQSignal.Key.all)
        }

        func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome { .notApplicable }

        func outcome(forDescriptor descriptor: Int32, context: ItemContext) -> PluginOutcome {
            passes.append(size: context.size ?? -1, first: context.firstPass)
            if !context.firstPass { Thread.sleep(forTimeInterval: wholeDelay) }
            let frames = context.firstPass ? 2 : 5
            let features = (0..<frames).map { VPDQMatchingTests.feature($0 * 25, VPDQMatchingTests.hash(UInt64($0 + 1))) }
            let facts = VideoFacts(codec: "h264", container: "mp4", width: 96, height: 64, durationMilliseconds: 5000, frameRate: "25/1")
            return .values(VPDQSignal.outputs(facts, features: features, damage: nil, partialSeconds: context.firstPass ? 2 : nil))
        }
    }

    /// The passes a plugin was asked for, across the scan's threads.
    final class PassLog: @unchecked Sendable {
        // Safety: `entries` is only touched while `lock` is held.
        private let lock = NSLock()
        private var entries: [(size: Int64, first: Bool)] = []
        func append(size: Int64, first: Bool) { lock.withLock { entries.append((size, first)) } }
        var all: [(size: Int64, first: Bool)] { lock.withLock { entries } }
    }

    /// A triage of two "videos" (5 and 7 bytes) with `budget` seconds, one worker.
    static func triage(budget: Double, wholeDelay: Double, in work: TemporaryDirectory) throws -> (ScanOutcome, ParsedManifest, [(size: Int64, first: Bool)]) {
        let root = work.child("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("first".utf8).write(to: root.appendingPathComponent("a.mp4"))
        try Data("second!".utf8).write(to: root.appendingPathComponent("b.mp4"))
        let passes = PassLog()
        let output = work.child("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var configuration = ScanConfiguration(
            roots: [PathBytes(root.path)], outputDirectory: output.path,
            registry: try PluginRegistry(CryptoHashes.all + [StagedVideoPlugin(wholeDelay: wholeDelay, passes: passes)]),
            matcher: HashMatcher(sets: []), jobs: 1, toolVersion: "test")
        configuration.triage = true
        configuration.budgetSeconds = budget
        let outcome = try Scan(configuration: configuration, logger: Logger(label: "test")).run(interrupt: InterruptFlag(), progress: ScanProgress())
        return (outcome, try ParsedManifest(directory: output), passes.all)
    }

    @Test("With time to spare, both videos get a first pass, then a whole pass after every other item: complete records")
    func secondPassCompletes() throws {
        let work = try TemporaryDirectory("vpdq-triage-full")
        defer { work.remove() }
        let (outcome, manifest, passes) = try Self.triage(budget: 60, wholeDelay: 0, in: work)
        #expect(outcome.complete)
        #expect(passes.map(\.first) == [true, true, false, false], "\(passes)")
        #expect(Set(passes.prefix(2).map(\.size)) == [5, 7])
        #expect(manifest.items.count == 2)
        for name in ["a.mp4", "b.mp4"] {
            let item = try #require(manifest.item(name))
            let reference = try #require(item["vpdq"] as? [String: Any])
            #expect(reference["frames"] as? Int == 5 && reference["complete"] == nil, "\(item)")
            #expect(item.object("hashes")?.int("vpdq_frames") == 5 && item["notes"] == nil)
            #expect(item.object("hashes")?["vpdq_partial_seconds"] == nil)
        }
    }

    @Test("With a tiny budget the first seconds of both videos are hashed before the rest of either; the budget cuts the whole pass and each record says 2 frames, complete: false")
    func budgetKeepsFirstFrames() throws {
        let work = try TemporaryDirectory("vpdq-triage-budget")
        defer { work.remove() }
        let started = Date()
        let (outcome, manifest, passes) = try Self.triage(budget: 1, wholeDelay: 3, in: work)
        #expect(!outcome.complete && outcome.stoppedBy == .budget)
        // Both first passes, then one whole pass, which the budget cut short.
        #expect(passes.map(\.first) == [true, true, false], "\(passes)")
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(manifest.items.count == 2)
        for name in ["a.mp4", "b.mp4"] {
            let item = try #require(manifest.item(name))
            let reference = try #require(item["vpdq"] as? [String: Any])
            #expect(reference["frames"] as? Int == 2 && reference["complete"] as? Bool == false, "\(item)")
            let file = work.child("out").appendingPathComponent(try #require(reference["file"] as? String))
            #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count == 2)
            #expect(item.object("hashes")?.int("vpdq_frames") == 2)
            #expect((item["notes"] as? [String])?.contains { $0.hasPrefix("vpdq: only the first 2 s of the video were hashed") } == true, "\(item)")
            #expect(item["status"] as? String == "ok" && item.object("hashes")?.string("sha256") != nil)
        }
    }
}
