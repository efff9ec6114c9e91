/// One hashed frame of a video, as the reference (ThreatExchange vPDQ) writes it: the frame's
/// number in decoder order from 0, its PDQ quality, its PDQ hash and its time in seconds.
public struct VPDQFeature: Sendable, Hashable {
    /// The frame's number (0-based, in the order the decoder returned frames).
    public var frameNumber: Int
    /// PDQ quality, 0 to 100.
    public var quality: Int
    /// The frame's PDQ hash.
    public var hash: PDQHash
    /// Seconds from the start: the frame number over the frame rate.
    public var timestamp: Double

    /// A feature from its parts.
    public init(frameNumber: Int, quality: Int, hash: PDQHash, timestamp: Double) {
        self.frameNumber = frameNumber
        self.quality = quality
        self.hash = hash
        self.timestamp = timestamp
    }
}
