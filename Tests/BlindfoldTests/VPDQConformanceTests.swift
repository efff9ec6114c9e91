import Foundation
import Signals
import Testing
import VideoDecoding
@testable import VPDQ

/// vPDQ against Meta's reference binding (`pip install vpdq`, built on the same libav*) on
/// synthetic videos: the same frame numbers and timestamps, and PDQ within a few bits.
@Suite("vPDQ conformance", .enabled(if: SyntheticVideo.ffmpegAvailable, "ffmpeg is not installed (bash .ci/install-deps)"))
struct VPDQConformanceTests {
    static func hash(_ url: URL, interval: Int = 1) throws -> VPDQResult {
        try VPDQHasher.hash(MemoryVideoSource(Array(Data(contentsOf: url))), secondsPerHash: Double(interval), maxPixels: 1 << 24)
    }

    @Test("same frames as the reference binding; PDQ: >= 90% within 4 bits and >= 90% exact (all exact when measured), none above 16, quality within 2",
          .enabled(if: SyntheticVideo.referenceAvailable, "the reference binding is not installed: python3 -m pip install vpdq==0.2.5"))
    func agreesWithReference() throws {
        let directory = try TemporaryDirectory("vpdq-conformance")
        defer { directory.remove() }
        var distances: [Int] = []
        for (video, interval) in SyntheticVideo.corpus.map({ ($0, 1) }) + [(SyntheticVideo.corpus[0], 0)] {
            let url = try video.make(in: directory.url)
            let reference = try VPDQText.parse(Substring(try SyntheticVideo.reference(url, secondsPerHash: interval)))
            let ours = try Self.hash(url, interval: interval)
            #expect(ours.end == .complete, "\(video)")
            #expect(ours.features.map(\.frameNumber) == reference.map(\.frameNumber), "\(video) interval \(interval)")
            #expect(ours.features.map { VPDQText.line($0).split(separator: ",")[3] }
                == reference.map { VPDQText.line($0).split(separator: ",")[3] }, "\(video): timestamps")
            for (mine, theirs) in zip(ours.features, reference) {
                distances.append(mine.hash.distance(to: theirs.hash))
                #expect(abs(mine.quality - theirs.quality) <= 2, "\(video) frame \(mine.frameNumber)")
            }
        }
        // The video as the second stream (audio first), h264 with B-frames: the reference drains
        // its decoder only when the video is stream 0, so its last delayed frames are not hashed.
        let audioFirst = directory.child("audio-first.mkv")
        try SyntheticVideo.ffmpeg([
            "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25", "-f", "lavfi", "-i", "sine=duration=3", "-t", "3",
            "-map", "1:a", "-map", "0:v", "-c:v", "libx264", "-bf", "3", "-c:a", "flac", audioFirst.path,
        ])
        let theirs = try VPDQText.parse(Substring(try SyntheticVideo.reference(audioFirst, secondsPerHash: 0)))
        let mine = try Self.hash(audioFirst, interval: 0)
        #expect(mine.features.map(\.frameNumber) == theirs.map(\.frameNumber))
        #expect(mine.features.map(\.hash) == theirs.map(\.hash))
        let decoded = try SyntheticVideo.decodedFrameCount(audioFirst)
        #expect(theirs.count < decoded && !mine.features.isEmpty)
        let within4 = distances.filter { $0 <= 4 }.count
        #expect(distances.count > 60)
        #expect(Double(within4) >= 0.9 * Double(distances.count), "distances \(distances)")
        #expect(distances.allSatisfy { $0 <= 16 }, "distances \(distances)")
        #expect(Double(distances.filter { $0 == 0 }.count) >= 0.9 * Double(distances.count), "distances \(distances)")
    }

    @Test("frame numbers by the reference's rule (hand-computed), all frames with interval 0 (ffprobe's count), stream facts as ffprobe says")
    func sampling() throws {
        let directory = try TemporaryDirectory("vpdq-sampling")
        defer { directory.remove() }
        // 25 fps, 4 s: every 25th frame. 24000/1001 fps: step int(23.976) = 23.
        let h264 = try SyntheticVideo.corpus[0].make(in: directory.url)
        let first = try Self.hash(h264)
        #expect(first.features.map(\.frameNumber) == [0, 25, 50, 75])
        #expect(first.info.codec == "h264" && first.info.width == 96 && first.info.height == 64)
        #expect(first.info.frameRateNumerator == 25 && first.info.frameRateDenominator == 1)
        #expect(first.info.durationMilliseconds == 4000)
        let life = try SyntheticVideo.corpus[2].make(in: directory.url)
        let ntsc = try Self.hash(life)
        let count = try SyntheticVideo.decodedFrameCount(life)
        #expect(ntsc.features.map(\.frameNumber) == Array(stride(from: 0, to: count, by: 23)))
        #expect(ntsc.features.map { VPDQText.line($0).split(separator: ",")[3] }.prefix(3) == ["0.000", "0.959", "1.919"])
        let every = try Self.hash(life, interval: 0)
        #expect(every.features.map(\.frameNumber) == Array(0..<count))
        #expect(count == 72)
    }

    @Test("a descriptor source reads the same frames as bytes in memory")
    func descriptorSource() throws {
        let directory = try TemporaryDirectory("vpdq-descriptor")
        defer { directory.remove() }
        let url = try SyntheticVideo.corpus[1].make(in: directory.url)
        let descriptor = open(url.path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let source = try #require(DescriptorVideoSource(descriptor: descriptor))
        let fromDescriptor = try VPDQHasher.hash(source, secondsPerHash: 1, maxPixels: 1 << 24)
        let fromMemory = try Self.hash(url)
        #expect(fromDescriptor.features == fromMemory.features)
        #expect(fromDescriptor.features.count == 3)
    }
}
