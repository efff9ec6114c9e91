import BlindfoldCore
import Evidence
import Foundation
@testable import Isolation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A video that is a file on disk is decoded from the scanner's read-only descriptor, handed to
/// the worker over its socket: never buffered whole, so files over the in-memory cap are hashed,
/// with the frames the in-memory path gives.
@Suite("vPDQ descriptor hand-off", .serialized)
struct VPDQHandOffTests {
    /// The frame file's reference of the item at `path` (or of the member named `member`).
    static func reference(_ manifest: ParsedManifest, path: String? = nil, member: String? = nil) -> [String: Any]? {
        let item = path.map { manifest.item($0) } ?? manifest.items.first {
            ($0["layers"] as? [[String: Any]])?.first?["member"] as? String == member
        }
        return item?["vpdq"] as? [String: Any]
    }

    @Test("A video over --vpdq-memory-bytes is hashed through its descriptor (workers and in-process), with the frames the in-memory path gives; the same video in a zip is 'limit'",
          .enabled(if: SyntheticVideo.ffmpegAvailable, "ffmpeg is not installed (bash .ci/install-deps)"))
    func overTheCap() throws {
        let directory = try TemporaryDirectory("vpdq-handoff")
        defer { directory.remove() }
        let root = directory.child("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let video = try SyntheticVideo.corpus[0].make(in: root)  // 4 s, 25 fps: frames 0, 25, 50, 75
        let size = try #require(try FileManager.default.attributesOfItem(atPath: video.path)[.size] as? Int)
        let zipped = directory.child("zipped")
        try FileManager.default.createDirectory(at: zipped, withIntermediateDirectories: true)
        _ = try ProcessRunner.run("/usr/bin/env", ["bash", "-c", "cd '\(root.path)' && zip -q -0 '\(zipped.path)/videos.zip' \(video.lastPathComponent)"])

        // The in-memory path: the member of the zip, under the default cap.
        let memory = try VPDQScanTests.scan(zipped, directory.child("memory"))
        let inMemory = try #require(Self.reference(memory, member: video.lastPathComponent))
        #expect(inMemory["frames"] as? Int == 4)

        // A cap below the file's size: the file still hashes (its descriptor), the member does not.
        let cap = ["--vpdq-memory-bytes", String(size - 1)]
        for mode in [[], ["--in-process"]] {
            let label = mode.isEmpty ? "workers" : "in-process"
            let output = directory.child("capped-\(label)")
            let manifest = try VPDQScanTests.scan(root, output, cap + mode)
            let file = try #require(Self.reference(manifest, path: video.lastPathComponent), "\(label)")
            #expect(file["sha256"] as? String == inMemory["sha256"] as? String, "\(label)")
            #expect(file["frames"] as? Int == 4)
            let lines = try String(contentsOf: output.appendingPathComponent(try #require(file["file"] as? String)), encoding: .utf8)
            #expect(lines.split(separator: "\n").map { $0.split(separator: ",")[0] } == ["0", "25", "50", "75"])
            #expect(try VPDQScanTests.sha256(output.appendingPathComponent(try #require(file["file"] as? String))) == inMemory["sha256"] as? String)
        }
        let cappedZip = try VPDQScanTests.scan(zipped, directory.child("capped-zip"), cap)
        let member = try #require(cappedZip.items.first { ($0["layers"] as? [[String: Any]])?.first?["member"] as? String == video.lastPathComponent })
        #expect((member["plugin_errors"] as? [String: String])?["vpdq"] == "limit: the item is larger than the plugin's size cap of \(size - 1) bytes")
        #expect(member["vpdq"] == nil)
    }

    @Test("The worker refuses a descriptor open for writing or not a regular file; a descriptor the scanner opened and passed cannot be written")
    func readOnly() throws {
        let work = try TemporaryDirectory("handed")
        defer { work.remove() }
        let path = work.child("evidence.bin").path
        try Data("evidence bytes\n".utf8).write(to: URL(fileURLWithPath: path))
        let writable = open(path, O_RDWR)
        try #require(writable >= 0)
        defer { close(writable) }
        #expect(HandedFile.refusal(writable)?.reason == "the descriptor handed to the worker is open for writing: refused")
        let folder = open(work.path, O_RDONLY | O_DIRECTORY)
        try #require(folder >= 0)
        defer { close(folder) }
        #expect(HandedFile.refusal(folder)?.reason == "the descriptor handed to the worker is not a regular file: refused")

        // The scanner's own open (EvidenceFile), passed as the worker receives it.
        let evidence = try EvidenceFile(path: PathBytes(path), expected: nil)
        let (left, right) = try DescriptorPassingTests.socketPair()
        defer { close(left); close(right) }
        let sent = evidence.withReadOnlyDescriptor { descriptor in (try? DescriptorPassing.send(descriptor, over: left)) != nil }
        #expect(sent)
        let received = try DescriptorPassing.receive(over: right)
        defer { close(received) }
        #expect(HandedFile.refusal(received) == nil)
        #expect(fcntl(received, F_GETFL) & O_ACCMODE == O_RDONLY)
        var byte: UInt8 = 0x41
        #expect(write(received, &byte, 1) == -1 && errno == EBADF)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "evidence bytes\n")
    }

    @Test("A descriptor request is one frame that ends before the descriptor's marker byte; read exactly, the descriptor follows intact")
    func descriptorFrame() throws {
        let work = try TemporaryDirectory("frame")
        defer { work.remove() }
        let path = work.child("video.bin").path
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: path))
        let file = open(path, O_RDONLY)
        try #require(file >= 0)
        defer { close(file) }
        let request = WorkerRequest(pluginID: "vpdq", context: ItemContext(mime: "video/mp4", size: 10), payload: [], announcesDescriptor: true)
        let frame = request.encodedHeader()
        // magic 4, id 8+4, mime 8+9, size 8, flags 8: no payload length.
        #expect(WireReader.integer(frame[0..<8]) == 49 && frame.count == 57)
        let (left, right) = try DescriptorPassingTests.socketPair()
        defer { close(left); close(right) }
        #expect(frame.withUnsafeBytes { send(left, $0.baseAddress, $0.count, 0) } == frame.count)
        try DescriptorPassing.send(file, over: left)

        var length = [UInt8](repeating: 0, count: 8)
        #expect(recv(right, &length, 8, Int32(MSG_WAITALL)) == 8)
        var body = [UInt8](repeating: 0, count: Int(WireReader.integer(length)))
        #expect(recv(right, &body, body.count, Int32(MSG_WAITALL)) == body.count)
        var reader = WireReader(body)
        let parsed = try reader.request()
        #expect(parsed.announcesDescriptor && parsed.pluginID == "vpdq" && parsed.context.size == 10 && parsed.payload.isEmpty)
        let received = try DescriptorPassing.receive(over: right)
        defer { close(received) }
        var bytes = [UInt8](repeating: 0, count: 10)
        #expect(pread(received, &bytes, 10, 0) == 10 && String(decoding: bytes, as: UTF8.self) == "0123456789")
        // A byte-carrying request still parses as before.
        var plain = WireReader(Array(WorkerRequest(pluginID: "pdq", context: ItemContext(mime: nil, size: nil), payload: [1, 2]).encodedHeader().dropFirst(8)) + [1, 2])
        let bytesRequest = try plain.request()
        #expect(!bytesRequest.announcesDescriptor && bytesRequest.payload == [1, 2])
    }
}
