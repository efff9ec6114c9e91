/// What the scanner records about a video: stream facts only, never the file's metadata text
/// (titles, comments and encoder strings are content).
public struct VideoInfo: Sendable, Hashable {
    /// FFmpeg's short name of the video codec (`h264`, `vp9`, `mpeg4`, ...): a fixed vocabulary
    /// of the library, not text from the file.
    public var codec: String
    /// FFmpeg's short name of the demuxer that opened it (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, ...).
    public var container: String
    /// The video stream's declared width and height in pixels.
    public var width: Int
    public var height: Int
    /// The declared duration in milliseconds (the video stream's, else the container's), when declared.
    public var durationMilliseconds: Int?
    /// The frame rate the reference samples by: the stream's average frame rate, else its
    /// real base frame rate (`r_frame_rate`), as a fraction.
    public var frameRateNumerator: Int
    public var frameRateDenominator: Int

    /// The frame rate as the reference computes it (a double).
    public var frameRate: Double { Double(frameRateNumerator) / Double(frameRateDenominator) }

    /// Facts from their parts.
    public init(codec: String, container: String, width: Int, height: Int, durationMilliseconds: Int?,
                frameRateNumerator: Int, frameRateDenominator: Int) {
        self.codec = codec
        self.container = container
        self.width = width
        self.height = height
        self.durationMilliseconds = durationMilliseconds
        self.frameRateNumerator = frameRateNumerator
        self.frameRateDenominator = frameRateDenominator
    }
}
