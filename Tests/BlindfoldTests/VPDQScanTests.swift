import Foundation
import Testing

/// vPDQ through the binary: videos in a folder and in a zip decoded in the workers, the
/// frame files under the output folder and `verify`, damaged videos, and matching against vPDQ
/// lists and PDQ image lists.
@Suite("vPDQ scans", .serialized, .enabled(if: SyntheticVideo.ffmpegAvailable, "ffmpeg is not installed (bash .ci/install-deps)"))
struct VPDQScanTests {
    static func scan(_ root: URL, _ output: URL, _ extra: [String] = []) throws -> ParsedManifest {
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", output.path] + extra)
        #expect([0, 1].contains(result.exitCode), "\(result.stderr)")
        return try ParsedManifest(directory: output)
    }

    static func sha256(_ url: URL) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/sha256sum", [url.path])
        return String(result.stdout.prefix(64))
    }

    @Test("videos in a folder and a zip get stream facts and a frame file (sha256sum, reference lines); damaged ones never stop the scan; verify checks the files")
    func scanAndVerify() throws {
        let directory = try TemporaryDirectory("vpdq-scan")
        defer { directory.remove() }
        let root = directory.child("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let video = try SyntheticVideo.corpus[0].make(in: root)  // 4 s, 25 fps, h264 in mp4
        let webm = try SyntheticVideo.corpus[1].make(in: root)
        let bytes = try Data(contentsOf: video)
        // Damaged: the first 60% of the mp4 (its moov is at the end, so nothing to index), the
        // first 60% of a fast-start copy (index first: the frames before the cut decode), and a
        // webm whose clusters after the first 2 KiB are noise.
        try bytes.prefix(bytes.count * 6 / 10).write(to: root.appendingPathComponent("cut.mp4"))
        let faststart = try SyntheticVideo.transform(video, ["-c", "copy", "-movflags", "+faststart"], to: directory.child("faststart.mp4"))
        let indexed = try Data(contentsOf: faststart)
        try indexed.prefix(indexed.count * 6 / 10).write(to: root.appendingPathComponent("cut-faststart.mp4"))
        var noisy = Array(try Data(contentsOf: webm).prefix(2048))
        var state: UInt32 = 2_463_534_242  // deterministic noise (xorshift32)
        for _ in 0..<40_000 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            noisy.append(UInt8(truncatingIfNeeded: state))
        }
        try Data(noisy).write(to: root.appendingPathComponent("noise.webm"))
        let zipDirectory = directory.child("zip")
        try FileManager.default.createDirectory(at: zipDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: video, to: zipDirectory.appendingPathComponent("inner.mp4"))
        _ = try ProcessRunner.run("/usr/bin/env", ["bash", "-c", "cd '\(zipDirectory.path)' && zip -q -0 '\(root.path)/videos.zip' inner.mp4"])

        let output = directory.child("out")
        let manifest = try Self.scan(root, output)
        let item = try #require(manifest.item(video.lastPathComponent))
        let hashes = try #require(item["hashes"] as? [String: Any])
        #expect(hashes["video_codec"] as? String == "h264")
        #expect(hashes["video_width"] as? Int == 96 && hashes["video_height"] as? Int == 64)
        #expect(hashes["video_duration_ms"] as? Int == 4000 && hashes["video_frame_rate"] as? String == "25/1")
        #expect(hashes["vpdq_frames"] as? Int == 4 && hashes["vpdq"] == nil)
        let reference = try #require(item["vpdq"] as? [String: Any])
        let file = output.appendingPathComponent(try #require(reference["file"] as? String))
        #expect(reference["frames"] as? Int == 4)
        let digest = try Self.sha256(file)
        #expect(reference["sha256"] as? String == digest)
        let lines = try String(contentsOf: file, encoding: .utf8)
        #expect(lines.split(separator: "\n").map { $0.split(separator: ",")[0] } == ["0", "25", "50", "75"])
        if SyntheticVideo.referenceAvailable {
            let theirs = try SyntheticVideo.reference(video, secondsPerHash: 1)
            #expect(lines.split(separator: "\n").map { $0.split(separator: ",")[3] } == theirs.split(separator: "\n").map { $0.split(separator: ",")[3] })
        }
        // The member of the zip: the same frames, the same (shared) file.
        let member = try #require(manifest.items.first { ($0["layers"] as? [[String: Any]])?.first?["member"] as? String == "inner.mp4" })
        #expect((member["vpdq"] as? [String: Any])?["sha256"] as? String == reference["sha256"] as? String)
        // Damaged videos: a record each, the reason in plugin_errors, never content.
        for name in ["cut.mp4", "cut-faststart.mp4", "noise.webm"] {
            let damaged = try #require(manifest.item(name))
            #expect(damaged["status"] as? String == "ok")
            let errors = damaged["plugin_errors"] as? [String: String]
            let frames = (damaged["hashes"] as? [String: Any])?["vpdq_frames"] as? Int ?? 0
            #expect(errors?["vpdq"] != nil || frames > 0, "\(name): \(damaged)")
        }
        for name in ["cut.mp4", "cut-faststart.mp4", "noise.webm"] {
            let damaged = try #require(manifest.item(name))
            #expect((damaged["plugin_errors"] as? [String: String])?["vpdq"]?.hasPrefix("corrupt") == true, "\(damaged)")
        }
        // The fast-start copy keeps the frames before the cut.
        let partial = (manifest.item("cut-faststart.mp4")?["hashes"] as? [String: Any])?["vpdq_frames"] as? Int ?? 0
        #expect((1...3).contains(partial))

        let verified = try ProcessRunner.blindfold(["verify", output.appendingPathComponent("manifest.jsonl").path])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("frame files: OK"))
        try Data("0,100,\(String(repeating: "0", count: 64)),0.000\n".utf8).write(to: file)
        let tampered = try ProcessRunner.blindfold(["verify", output.appendingPathComponent("manifest.jsonl").path])
        #expect(tampered.exitCode != 0)
        #expect((tampered.stdout + tampered.stderr).contains("does not match its sha256"))
    }

    @Test("metadata text (a sentinel title and comment) reaches no record, frame file or output; audio-only is unsupported; --image-pixels refuses large frames")
    func hostile() throws {
        let directory = try TemporaryDirectory("vpdq-hostile")
        defer { directory.remove() }
        let root = directory.child("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let sentinel = TestEnvironment.sentinel
        _ = try SyntheticVideo(
            source: "testsrc2=size=96x64:rate=25", seconds: 2,
            codec: ["-c:v", "libx264", "-metadata", "title=\(sentinel)", "-metadata", "comment=\(sentinel)"], name: "titled.mkv"
        ).make(in: root)
        try SyntheticVideo.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "flac", root.appendingPathComponent("audio-only.mkv").path])
        let output = directory.child("out")
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", output.path])
        let manifest = try ParsedManifest(directory: output)
        #expect((manifest.item("titled.mkv")?["hashes"] as? [String: Any])?["vpdq_frames"] as? Int == 2)
        let audio = manifest.item("audio-only.mkv")
        // libmagic calls a Matroska file video/x-matroska whatever its tracks.
        #expect(audio?["mime"] as? String == "video/x-matroska")
        #expect((audio?["plugin_errors"] as? [String: String])?["vpdq"] == "unsupported: the container holds no video stream", "\(String(describing: audio))")
        var everything = result.stdout + result.stderr
        for file in try FileManager.default.subpathsOfDirectory(atPath: output.path) {
            everything += (try? String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)) ?? ""
        }
        #expect(!everything.contains(sentinel))
        let limited = try Self.scan(root, directory.child("limited"), ["--image-pixels", "1000"])
        let refused = (limited.item("titled.mkv")?["plugin_errors"] as? [String: String])?["vpdq"]
        #expect(refused == "limit: the video's frames have 6144 pixels, more than the limit of 1000")
    }

    @Test("re-encoded, resized, frame-rate-changed and trimmed copies match the original's vPDQ list (file and folder); an unrelated video does not; a still matches through a PDQ list with its time")
    func matching() throws {
        let directory = try TemporaryDirectory("vpdq-match")
        defer { directory.remove() }
        let originals = directory.child("originals")
        let copies = directory.child("copies")
        for url in [originals, copies] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        let original = try SyntheticVideo(
            source: "testsrc2=size=128x96:rate=25", seconds: 8, codec: ["-c:v", "libx264", "-pix_fmt", "yuv420p"], name: "original.mp4"
        ).make(in: originals)
        _ = try SyntheticVideo.transform(original, ["-c:v", "libvpx-vp9", "-b:v", "150k"], to: copies.appendingPathComponent("reencoded.webm"))
        _ = try SyntheticVideo.transform(original, ["-vf", "scale=96:72", "-c:v", "mpeg4", "-q:v", "4"], to: copies.appendingPathComponent("resized.avi"))
        _ = try SyntheticVideo.transform(original, ["-vf", "fps=15", "-c:v", "libx264"], to: copies.appendingPathComponent("fps15.mkv"))
        _ = try SyntheticVideo.transform(original, ["-ss", "2", "-c:v", "libx264"], to: copies.appendingPathComponent("trimmed.mp4"))
        _ = try SyntheticVideo(source: "mandelbrot=size=128x96:rate=25", seconds: 6, codec: ["-c:v", "libx264"], name: "unrelated.mp4").make(in: copies)
        // A still of the original at 3 s, to be listed as an image.
        try SyntheticVideo.ffmpeg(["-ss", "3", "-i", original.path, "-frames:v", "1", originals.appendingPathComponent("still.png").path])

        // The original's frame file, as the scan wrote it, is the list; the still's PDQ, a PDQ list.
        let listed = try Self.scan(originals, directory.child("listed"))
        let frameFile = try #require((listed.item("original.mp4")?["vpdq"] as? [String: Any])?["file"] as? String)
        let lists = directory.child("lists")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true)
        let list = lists.appendingPathComponent("original.vpdq.txt")
        try FileManager.default.copyItem(at: directory.child("listed").appendingPathComponent(frameFile), to: list)
        let stillPDQ = try #require((listed.item("still.png")?["hashes"] as? [String: Any])?["pdq"] as? String)
        let pdqList = directory.child("still.pdq")
        try Data("\(stillPDQ)\n".utf8).write(to: pdqList)

        for set in [list, lists] {
            let output = directory.child("out-\(set.lastPathComponent)")
            let manifest = try Self.scan(copies, output, ["--known-bad", set.path, "--known-bad", pdqList.path])
            for name in ["reencoded.webm", "resized.avi", "fps15.mkv", "trimmed.mp4"] {
                let matches = manifest.item(name)?["matches"] as? [[String: Any]] ?? []
                let vpdq = matches.first { $0["algorithm"] as? String == "vpdq" }
                #expect((vpdq?["query_match"] as? Double ?? 0) >= 80, "\(name): \(matches)")
                #expect(vpdq?["category"] as? String == "original.vpdq.txt")
            }
            let unrelated = manifest.item("unrelated.mp4")?["matches"] as? [[String: Any]] ?? []
            #expect(unrelated.isEmpty, "\(unrelated)")
        }
        // The still's PDQ found in the re-encoded copy, at about 3 s.
        let manifest = try ParsedManifest(directory: directory.child("out-original.vpdq.txt"))
        let still = (manifest.item("reencoded.webm")?["matches"] as? [[String: Any]] ?? []).first { $0["algorithm"] as? String == "pdq" }
        let time = try #require(still?["timestamp"] as? Double)
        #expect(abs(time - 3) <= 1, "\(time)")
    }
}
