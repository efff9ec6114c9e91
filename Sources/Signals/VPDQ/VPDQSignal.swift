import BlindfoldCore

/// vPDQ as a signal: its keys (the frame lines, the frame count, the stream's facts), matching
/// of whole videos under a ``VPDQComparison``, the header's `vpdq_*` options and its CSV
/// columns. The one place those names are spelled.
public struct VPDQSignal: Signal {
    /// The output keys.
    public enum Key {
        /// The frame lines in the reference's text format (``VPDQText``); the scanner moves them
        /// to their own file under the output folder before the record is written.
        public static let features = "vpdq"
        /// Frames hashed.
        public static let frames = "vpdq_frames"
        /// FFmpeg's name of the video codec.
        public static let codec = "video_codec"
        /// FFmpeg's name of the container (demuxer).
        public static let container = "video_container"
        /// Declared width and height in pixels.
        public static let width = "video_width"
        public static let height = "video_height"
        /// Declared duration in milliseconds, when the container declares one.
        public static let duration = "video_duration_ms"
        /// The frame rate the frames were sampled by, as a fraction (`30000/1001`).
        public static let frameRate = "video_frame_rate"
        /// Why decoding did not complete (a damaged or cut-short video); the scanner moves it
        /// to `plugin_errors`, the frames that decoded keep their hashes.
        public static let damage = "vpdq_damage"
        /// Set when only the video's first seconds were hashed (a triage's first pass): their
        /// number. The scanner turns it into the frame file's `"complete": false` and a note.
        public static let partial = "vpdq_partial_seconds"
        /// Every key, in record order.
        public static let all = [features, frames, codec, container, width, height, duration, frameRate, damage, partial]
    }

    /// The matching settings of this run.
    public let policy: VPDQComparison

    /// The signal under `policy`.
    public init(policy: VPDQComparison = .standard) { self.policy = policy }

    public var id: String { Key.features }

    public var outputs: [SignalOutput] {
        [SignalOutput(key: Key.features, kind: .text), SignalOutput(key: Key.frames, kind: .integer),
         SignalOutput(key: Key.codec, kind: .text), SignalOutput(key: Key.container, kind: .text),
         SignalOutput(key: Key.width, kind: .integer), SignalOutput(key: Key.height, kind: .integer),
         SignalOutput(key: Key.duration, kind: .integer), SignalOutput(key: Key.frameRate, kind: .text),
         SignalOutput(key: Key.damage, kind: .text), SignalOutput(key: Key.partial, kind: .integer)]
    }

    /// Frame hashes compare by Hamming distance; a video's match is the share of its frames.
    public var comparison: SignalComparison { .distance(maxDistance: policy.maxDistance) }

    /// vPDQ lists (one file per video, or a folder of them).
    public var setFormats: [String] { ["vpdq"] }

    public var headerOptions: [(name: String, value: OptionValue)] {
        [("vpdq_distance", .integer(policy.maxDistance)), ("vpdq_quality", .integer(policy.qualityFloor)),
         ("vpdq_query_match", .text(Self.percent(policy.queryMatchPercent))),
         ("vpdq_compared_match", .text(Self.percent(policy.comparedMatchPercent)))]
    }

    /// `vpdq_frames` and the codec.
    public var csvColumns: [SignalColumn] { [.output(Key.frames), .output(Key.codec)] }

    /// The outputs for one hashed video (`damage`: why decoding did not complete, if it did not;
    /// `partialSeconds`: the seconds hashed when only the first ones were).
    public static func outputs(_ facts: VideoFacts, features: [VPDQFeature], damage: String?, partialSeconds: Int? = nil) -> [HashOutput] {
        var values = [
            HashOutput(key: Key.features, value: .text(VPDQText.text(features))),
            HashOutput(key: Key.frames, value: .integer(features.count)),
            HashOutput(key: Key.codec, value: .text(facts.codec)),
            HashOutput(key: Key.container, value: .text(facts.container)),
            HashOutput(key: Key.width, value: .integer(facts.width)),
            HashOutput(key: Key.height, value: .integer(facts.height)),
        ]
        if let duration = facts.durationMilliseconds { values.append(HashOutput(key: Key.duration, value: .integer(duration))) }
        values.append(HashOutput(key: Key.frameRate, value: .text(facts.frameRate)))
        if let damage { values.append(HashOutput(key: Key.damage, value: .text(damage))) }
        if let partialSeconds { values.append(HashOutput(key: Key.partial, value: .integer(partialSeconds))) }
        return values
    }

    /// A percentage as the header writes it (`80`, `72.5`).
    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The stream facts a video's record carries (the plugin fills them from its decoder).
public struct VideoFacts: Sendable, Hashable {
    /// FFmpeg's codec name, container (demuxer) name, declared size, duration (ms) and frame rate (`num/den`).
    public var codec: String
    public var container: String
    public var width: Int
    public var height: Int
    public var durationMilliseconds: Int?
    public var frameRate: String

    /// Facts from their parts.
    public init(codec: String, container: String, width: Int, height: Int, durationMilliseconds: Int?, frameRate: String) {
        self.codec = codec
        self.container = container
        self.width = width
        self.height = height
        self.durationMilliseconds = durationMilliseconds
        self.frameRate = frameRate
    }
}
