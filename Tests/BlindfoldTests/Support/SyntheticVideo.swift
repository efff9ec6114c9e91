import Foundation

/// Synthetic test videos, generated at test time by ffmpeg from its own sources (`testsrc2`,
/// `mandelbrot`, `life`, `cellauto`): tiny frames and a few seconds, no camera footage.
struct SyntheticVideo: Sendable, CustomStringConvertible {
    /// The lavfi source with its options (`testsrc2=size=96x64:rate=25`).
    var source: String
    /// Seconds of video.
    var seconds: Double
    /// The encoder and its options (`-c:v libx264 -pix_fmt yuv420p`).
    var codec: [String]
    /// The file name; its extension picks the container.
    var name: String

    var description: String { name }

    /// True when ffmpeg is installed (the tests that need it are skipped otherwise).
    static let ffmpegAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")

    /// True when Meta's reference binding (`pip install vpdq`) imports.
    static let referenceAvailable: Bool = {
        guard let result = try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import vpdq"]) else { return false }
        return result.exitCode == 0
    }()

    /// Writes the video into `directory` and returns its URL.
    func make(in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Self.ffmpeg(["-f", "lavfi", "-i", source, "-t", String(seconds)] + codec + [url.path])
        return url
    }

    /// A copy of `input` transformed by ffmpeg `options` (re-encoded, scaled, trimmed ...).
    static func transform(_ input: URL, _ options: [String], to url: URL) throws -> URL {
        try ffmpeg(["-i", input.path] + options + [url.path])
        return url
    }

    static func ffmpeg(_ arguments: [String]) throws {
        let result = try ProcessRunner.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"] + arguments)
        guard result.exitCode == 0 else { throw GenerationFailed(message: result.stderr) }
    }

    struct GenerationFailed: Error { var message: String }

    /// The reference binding's frames for `url` (`vpdq.computeHash`), as its text lines
    /// `frame,quality,hex,timestamp` with the timestamp to three decimals.
    static func reference(_ url: URL, secondsPerHash: Int) throws -> String {
        let script = """
            import sys, vpdq
            for f in vpdq.computeHash(sys.argv[1], seconds_per_hash=float(sys.argv[2])):
                print(f"{f.frame_number},{f.quality},{f.hex},{f.timestamp:.3f}")
            """
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, url.path, String(secondsPerHash)])
        guard result.exitCode == 0 else { throw GenerationFailed(message: result.stderr) }
        return result.stdout
    }

    /// ffprobe's count of decoded frames of the first video stream (an independent oracle).
    static func decodedFrameCount(_ url: URL) throws -> Int {
        let result = try ProcessRunner.run(
            "/usr/bin/ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames",
             "-of", "default=nokey=1:noprint_wrappers=1", url.path])
        guard let count = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw GenerationFailed(message: result.stderr)
        }
        return count
    }

    /// The corpus the conformance test runs: several containers and codecs Debian's ffmpeg encodes.
    static let corpus: [SyntheticVideo] = [
        SyntheticVideo(source: "testsrc2=size=96x64:rate=25", seconds: 4, codec: ["-c:v", "libx264", "-pix_fmt", "yuv420p"], name: "testsrc2-h264.mp4"),
        SyntheticVideo(source: "mandelbrot=size=80x60:rate=30", seconds: 3, codec: ["-c:v", "libvpx-vp9", "-b:v", "200k"], name: "mandelbrot-vp9.webm"),
        SyntheticVideo(source: "life=size=96x64:rate=24000/1001:mold=10:seed=7", seconds: 3, codec: ["-c:v", "mpeg4", "-q:v", "3"], name: "life-mpeg4.avi"),
        SyntheticVideo(source: "cellauto=size=96x64:rate=15:rule=110", seconds: 4, codec: ["-c:v", "mjpeg", "-q:v", "3"], name: "cellauto-mjpeg.avi"),
        SyntheticVideo(source: "testsrc2=size=64x96:rate=30000/1001", seconds: 3, codec: ["-c:v", "libvpx", "-b:v", "300k"], name: "testsrc2-vp8.webm"),
        SyntheticVideo(source: "mandelbrot=size=96x64:rate=20", seconds: 3, codec: ["-c:v", "libx264", "-pix_fmt", "yuv444p", "-bf", "3"], name: "mandelbrot-h264.mkv"),
    ]
}
