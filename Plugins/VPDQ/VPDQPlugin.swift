import BlindfoldCore
import Signals
import VideoDecoding

/// The `vpdq` plugin: Meta's vPDQ for every video item (PDQ of frames sampled as the reference
/// samples them), with the stream's facts. Runs in the decoder workers like the image plugins.
/// A video that is a file on disk is read from the scanner's read-only descriptor (handed to the
/// worker over its socket), whatever its size; one in memory (an archive member) is buffered up
/// to ``memoryBytes``.
public struct VPDQPlugin: DescriptorReadingPlugin {
    /// The options vPDQ declares.
    public enum Option {
        /// `--vpdq-interval`: seconds between hashed frames (0 = every frame).
        public static let interval = PluginOption(
            name: "interval", flag: "vpdq-interval", defaultValue: .integer(1),
            help: "Seconds between the video frames vPDQ hashes, chosen as the reference chooses them (0 = every frame).",
            changesOutput: true)
        /// `--vpdq-memory-bytes`: the most bytes of a video held in memory (archive members).
        public static let memoryBytes = PluginOption(
            name: "memory_bytes", flag: "vpdq-memory-bytes", defaultValue: .integer(Int(HashPluginDescriptor.standardWholeItemCap)),
            help: "The most bytes of a video in an archive held in memory for vPDQ (larger ones are recorded 'limit'); videos that are files are read from their descriptor, whatever their size.",
            changesOutput: false)
        /// `--vpdq-first-seconds`: in a triage's first pass, the seconds of each video hashed.
        public static let firstSeconds = PluginOption(
            name: "first_seconds", flag: "vpdq-first-seconds", defaultValue: .integer(30),
            help: "In a triage, the seconds at the start of each video hashed in the first pass; the rest of each video is hashed after every other item, while the budget lasts.",
            changesOutput: false)
        /// Every option, in the header's order.
        public static let all = [interval, memoryBytes, firstSeconds]
    }

    /// Seconds between hashed frames; 0 hashes every frame.
    public let secondsPerHash: Int
    /// Frames declaring more pixels than this are refused (`limit`).
    public let maxPixels: Int
    /// The most bytes of a video held in memory (a member); files are read from their descriptor.
    public let memoryBytes: Int
    /// The seconds of each video hashed in a triage's first pass (``ItemContext/firstPass``).
    public let firstSeconds: Int

    /// A plugin sampling every `secondsPerHash` seconds.
    public init(
        secondsPerHash: Int = 1, maxPixels: Int = 100_000_000, memoryBytes: Int = Int(HashPluginDescriptor.standardWholeItemCap),
        firstSeconds: Int = 30
    ) {
        self.secondsPerHash = max(secondsPerHash, 0)
        self.maxPixels = maxPixels
        self.memoryBytes = max(memoryBytes, 1)
        self.firstSeconds = max(firstSeconds, 1)
    }

    public var descriptor: HashPluginDescriptor {
        HashPluginDescriptor(
            id: VPDQSignal.Key.features, version: "1",
            summary: "vPDQ video hash (PDQ of one frame every \(secondsPerHash) s, as the reference samples) and the stream's facts",
            accepts: MIMEFilter(["video/*"]), sizeCap: Int64(memoryBytes), inputMode: .wholeItem, outputKeys: VPDQSignal.Key.all,
            options: Option.all,
            settings: [Option.interval.name: .integer(secondsPerHash), Option.memoryBytes.name: .integer(memoryBytes),
                       Option.firstSeconds.name: .integer(firstSeconds)])
    }

    /// Decodes the video file open on `descriptor` (read with `pread`, never buffered whole).
    public func outcome(forDescriptor descriptor: Int32, context: ItemContext) -> PluginOutcome {
        guard let source = DescriptorVideoSource(descriptor: descriptor) else {
            return .failure(PluginFailure(status: .unreadable, reason: "the video's descriptor is not a readable regular file"))
        }
        return outcome(for: source, context: context)
    }

    /// Decodes one video's bytes (held in memory) and hashes its sampled frames.
    public func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome {
        outcome(for: MemoryVideoSource(bytes), context: context)
    }

    /// Decodes a video from any source (a descriptor, bytes) and hashes its sampled frames (in a
    /// triage's first pass, those of its first ``firstSeconds`` seconds).
    public func outcome(for source: any VideoByteSource, context: ItemContext = ItemContext(mime: nil, size: nil)) -> PluginOutcome {
        let result: VPDQResult
        do throws(VideoDecodeError) {
            result = try VPDQHasher.hash(
                source, secondsPerHash: Double(secondsPerHash), maxPixels: maxPixels, firstSeconds: context.firstPass ? firstSeconds : nil)
        } catch {
            return .failure(PluginFailure(status: error.status, reason: error.reason))
        }
        guard !result.features.isEmpty else {
            return .failure(PluginFailure(status: .corrupt, reason: "no frame of the video could be decoded"))
        }
        let info = result.info
        let facts = VideoFacts(
            codec: info.codec, container: info.container, width: info.width, height: info.height,
            durationMilliseconds: info.durationMilliseconds,
            frameRate: "\(info.frameRateNumerator)/\(info.frameRateDenominator)")
        // A video cut at its first seconds is not damaged: it was not read to its end.
        let damage = result.cutShort ? nil : Self.damage(result.end) ?? Self.shortfall(result)
        return .values(VPDQSignal.outputs(
            facts, features: result.features, damage: damage, partialSeconds: result.cutShort ? firstSeconds : nil))
    }

    /// The sentence for a video whose frames end well before the duration its container declares
    /// (a file cut short whose index survived), nil otherwise.
    static func shortfall(_ result: VPDQResult) -> String? {
        guard let declared = result.info.durationMilliseconds, result.info.frameRate > 0,
              let decoded = VideoDecoder.milliseconds(Double(result.framesDecoded) / result.info.frameRate * 1000)
        else { return nil }
        guard decoded < declared - max(1000, declared / 10) else { return nil }
        return "the video's frames end at \(decoded) ms of the \(declared) ms its container declares: it is cut short; the frames it holds were hashed"
    }

    /// The sentence for a video that did not decode cleanly, nil for a complete one.
    static func damage(_ end: VideoDecoder.End) -> String? {
        switch end {
        case .complete, .stopped: nil
        case .damaged(let errors, let readFailed):
            readFailed
                ? "reading the video failed partway; the frames decoded before were hashed"
                : "the video is damaged or cut short (\(errors) packets or frames did not decode); the frames that decoded were hashed"
        }
    }
}
