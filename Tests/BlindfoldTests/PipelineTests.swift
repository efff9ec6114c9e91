import BlindfoldCore
import CryptoHashes
import Evidence
import Foundation
import KnownHashes
@testable import Scanner
import Testing

/// The pipeline in process, without the binary: fake containers and chunk sources drive
/// recursion, limits, batching, ordering and failures through the one container path.
@Suite("Pipeline in process")
struct PipelineTests {
    // MARK: - Recursion and order

    @Test("members follow their container in its order, nested ones after theirs; batched and streamed members interleave correctly")
    func orderAndRecursion() throws {
        var random = SeededBytes(seed: 7)
        let (a, x, y, big, c) = (random.next(100), random.next(10), random.next(3000), random.next(1_500_000), random.next(5))
        let inner = FakeArchive.build([.file("x", x), .file("y", y)])
        let outer = FakeArchive.build([
            .file("a", a), .file("inner.fake", inner), .file("big", big), .link("link", "../a"),
            .encrypted("enc", random.next(20)), .file("c", c),
        ])
        let records = try PipelineHarness().read(outer)
        #expect(records.map(\.path.display) == [
            "evidence", "evidence|fake:a", "evidence|fake:inner.fake", "evidence|fake:inner.fake|fake:x",
            "evidence|fake:inner.fake|fake:y", "evidence|fake:big", "evidence|fake:link", "evidence|fake:enc",
            "evidence|fake:c",
        ])
        let digests = try Oracle.sha256([outer, a, inner, x, y, big, c])
        let read = records.filter { $0.kind == .file && $0.status == .ok }
        #expect(read.map { $0.hash("sha256") } == digests.map { HashValue.hex($0) })
        #expect(records[0].container == ContainerInfo(format: "fake", members: 6, memberBytes: Int64(100 + inner.count + 1_500_000 + 5)))
        #expect(records[2].container == ContainerInfo(format: "fake", members: 2, memberBytes: 3010))
        #expect(records[6].status == .notOpened && records[6].linkTarget == PathBytes("../a"))
        #expect(records[7].status == .encrypted && records[7].hashes.isEmpty)
        #expect(records.allSatisfy { $0.kind != .file || $0.status != .ok || $0.size != nil })
    }

    @Test("the same container gives the same records streamed in small pieces, from memory, or read with random access")
    func sourcesAgree() throws {
        var random = SeededBytes(seed: 8)
        let inner = FakeArchive.build([.file("x", random.next(70_000))])
        let outer = FakeArchive.build([.file("a", random.next(9)), .file("n.fake", inner), .file("b", random.next(2_000_000))])
        let streamed = try PipelineHarness().read(outer, trickle: 777)
        let whole = try PipelineHarness().read(outer)
        let seeking = try PipelineHarness(formats: [FakeFormat(access: .seeking)]).read(outer)
        #expect(streamed.count == 5)
        #expect(streamed == whole)
        #expect(streamed == seeking)
    }

    @Test("hundreds of small members are batched over the cores and keep their order around big streamed ones")
    func batching() throws {
        var random = SeededBytes(seed: 9)
        var members: [FakeArchive.Member] = []
        var contents: [[UInt8]] = []
        for index in 0..<1_200 {
            let data = index == 300 || index == 900 ? random.next(1_200_000) : random.next(index % 50 + 1)
            members.append(.file(String(format: "m%04d", index), data))
            contents.append(data)
        }
        let records = try PipelineHarness().read(FakeArchive.build(members))
        #expect(records.count == 1_201)
        #expect(records.dropFirst().map { $0.path.layers.last?.member } == (0..<1_200).map { PathBytes(String(format: "m%04d", $0)) })
        let digests = try Oracle.sha256(contents)
        #expect(records.dropFirst().map { $0.hash("sha256") } == digests.map { HashValue.hex($0) })
    }

    // MARK: - Limits

    @Test("a container nested deeper than archive_depth is hashed but not opened")
    func depthLimit() throws {
        let level3 = FakeArchive.build([.file("deep", Array("deep".utf8))])
        let level2 = FakeArchive.build([.file("l3.fake", level3)])
        let level1 = FakeArchive.build([.file("l2.fake", level2)])
        var harness = PipelineHarness()
        harness.limits.archiveDepth = 2
        let records = try harness.read(level1)
        #expect(records.map(\.path.layers.count) == [0, 1, 2])
        #expect(records[2].status == .limit)
        #expect(records[2].reason?.hasPrefix("archive_depth: nested 2 archives deep") == true)
        #expect(records[2].hash("sha256") == .hex(try Oracle.sha256([level3])[0]))
        #expect(records[2].container == nil)
    }

    @Test("member bytes are charged to every enclosing container: the outer allowance stops a nested bomb")
    func budgetChargesEnclosing() throws {
        let inner = FakeArchive.build([.file("m1", Array(repeating: 1, count: 4000)), .file("m2", Array(repeating: 2, count: 4000))])
        let outer = FakeArchive.build([.file("inner.fake", inner)])
        var harness = PipelineHarness()
        harness.limits.expansionBytes = 10_000
        let records = try harness.read(outer)
        // The outer produced the inner's 8,022 bytes, then 4,000 more from m1: over 10,000.
        #expect(inner.count == 8_022)
        #expect(records.map(\.path.display) == ["evidence", "evidence|fake:inner.fake", "evidence|fake:inner.fake|fake:m1"])
        #expect(records.map(\.status) == [.limit, .limit, .limit])
        #expect(records.allSatisfy { $0.reason?.hasPrefix("expansion_bytes: the archive produced more than 10000 bytes") == true })
        #expect(records[1].hash("sha256") != nil, "the inner container was read whole and keeps its digests")
    }

    @Test("entries_per_archive stops listing after the limit")
    func entryLimit() throws {
        let outer = FakeArchive.build((0..<5).map { .file("f\($0)", [UInt8($0)]) })
        var harness = PipelineHarness()
        harness.limits.entriesPerArchive = 3
        let records = try harness.read(outer)
        #expect(records.count == 4)
        #expect(records[0].status == .limit)
        #expect(records[0].reason == "entries_per_archive: more than 3 members; the rest are not examined")
    }

    @Test("a container needing random access that is larger than seekable_archive_bytes is hashed, not opened")
    func seekableLimit() throws {
        let outer = FakeArchive.build([.file("a", Array(repeating: 7, count: 500))])
        var harness = PipelineHarness(formats: [FakeFormat(access: .seeking)])
        harness.limits.seekableArchiveBytes = 100
        let records = try harness.read(outer, trickle: 64)
        #expect(records.count == 1)
        #expect(records[0].status == .limit)
        #expect(records[0].reason?.hasPrefix("seekable_archive_bytes") == true)
        #expect(records[0].hash("sha256") == .hex(try Oracle.sha256([outer])[0]))
    }

    // MARK: - Failures

    @Test("damage after two members keeps them; the container is corrupt and keeps its digests")
    func damagedContainer() throws {
        let outer = FakeArchive.build([.file("a", [1]), .file("b", [2]), .damage, .file("c", [3])])
        let records = try PipelineHarness().read(outer)
        #expect(records.map(\.path.display) == ["evidence", "evidence|fake:a", "evidence|fake:b"])
        #expect(records[0].status == .corrupt && records[0].reason == "fake damage")
        #expect(records[0].hash("sha256") == .hex(try Oracle.sha256([outer])[0]))
    }

    @Test("a member whose data fails half-way is truncated without digests; the members after it are still read")
    func failingMember() throws {
        var random = SeededBytes(seed: 10)
        let c = random.next(10)
        let outer = FakeArchive.build([.failingData("big", random.next(2_000_000)), .failingData("small", random.next(100)), .file("c", c)])
        let records = try PipelineHarness().read(outer)
        #expect(records.count == 4)
        #expect(records[1].status == .truncated && records[1].hashes.isEmpty)
        #expect(records[1].reason == "fake member data ends early (after 1003520 of 2000000 bytes)")
        #expect(records[2].status == .truncated && records[2].reason == "fake member data ends early (after 100 of 100 bytes)")
        let digest = try Oracle.sha256([c])[0]
        #expect(records[3].status == .ok && records[3].hash("sha256") == .hex(digest))
    }

    @Test("a source that fails mid-read leaves the item unreadable with how far it got, and no digests")
    func failingSource() throws {
        let bytes = Array(repeating: UInt8(9), count: 300_000)
        let records = try PipelineHarness().read(bytes, trickle: 65_536, failAfter: 131_072)
        #expect(records.count == 1)
        #expect(records[0].status == .unreadable)
        #expect(records[0].reason == "device gone (after 131072 of 300000 bytes)")
        #expect(records[0].hashes.isEmpty)
    }

    @Test("an interruption while a container is read stops it: skipped, no members")
    func interruption() throws {
        let outer = FakeArchive.build([.file("a", Array(repeating: 1, count: 100_000))])
        let harness = PipelineHarness()
        harness.interrupt.raise()
        let records = try harness.read(outer, trickle: 4096)
        #expect(records.count == 1)
        #expect(records[0].status == .skipped)
    }
}

/// One `ItemProcessor` over fake sources, with the three digests and the fake container format.
struct PipelineHarness {
    var limits = ScanLimits()
    var formats: [any ContainerFormat] = [FakeFormat()]
    let interrupt = InterruptFlag()

    /// The records of an item named `evidence` with these bytes, read from memory or, with
    /// `trickle`, streamed in pieces of that size (failing after `failAfter` bytes, if given).
    func read(_ bytes: [UInt8], trickle: Int? = nil, failAfter: Int? = nil) throws -> [ItemRecord] {
        var configuration = ScanConfiguration(
            roots: [PathBytes("/nowhere")], outputDirectory: "/nowhere", registry: try PluginRegistry(CryptoHashes.all),
            matcher: HashMatcher(sets: []), jobs: 1, toolVersion: "test")
        configuration.limits = limits
        configuration.containerFormats = formats
        let processor = try ItemProcessor(
            configuration: configuration, ioGate: DispatchSemaphore(value: 1), interrupt: interrupt, progress: ScanProgress())
        var record = ItemRecord(path: VirtualPath(rootIndex: 0, relative: PathBytes("evidence")), kind: .file)
        record.size = Int64(bytes.count)
        let list = RecordList()
        let place = list.reserve(record)
        bytes.withUnsafeBytes { memory in
            let source: any ChunkSource = trickle.map { TrickleSource(memory, piece: $0, failAfter: failAfter) }
                ?? MemoryChunkSource(memory)
            processor.read(from: source, record: &record, context: .walkEntry(records: list))
        }
        list.fill(place, with: record)
        return list.records
    }
}

/// Bytes handed out in pieces of a fixed size, as a slow device would, optionally failing.
final class TrickleSource: ChunkSource {
    private let bytes: UnsafeRawBufferPointer
    private let piece: Int
    private let failAfter: Int?
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer, piece: Int, failAfter: Int?) {
        self.bytes = bytes
        self.piece = piece
        self.failAfter = failAfter
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        if let failAfter, offset >= failAfter { throw ItemReadError(status: .unreadable, reason: "device gone") }
        let count = min(buffer.count, piece, bytes.count - offset)
        guard count > 0 else { return 0 }
        buffer.copyBytes(from: bytes[offset..<(offset + count)])
        offset += count
        return count
    }
}

/// Digests computed by `sha256sum`, the independent oracle.
enum Oracle {
    static func sha256(_ contents: [[UInt8]]) throws -> [String] {
        let workspace = try TemporaryDirectory("oracle")
        defer { workspace.remove() }
        var names: [String] = []
        for (index, data) in contents.enumerated() {
            let name = String(format: "%06d", index)
            try Data(data).write(to: workspace.child(name))
            names.append(name)
        }
        let result = try ProcessRunner.run("/bin/sh", ["-c", "cd '\(workspace.path)' && sha256sum " + names.joined(separator: " ")])
        return result.stdout.split(separator: "\n").map { String($0.prefix(64)) }
    }
}

extension VirtualPath {
    /// `relative|format:member|...`, for readable expectations.
    var display: String {
        ([relative.escaped] + layers.map { "\($0.format):\($0.member.escaped)" }).joined(separator: "|")
    }
}
