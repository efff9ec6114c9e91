import PDQ
import Signals
import VideoDecoding

/// What hashing one video gave: its stream facts, the hashed frames, and how decoding ended.
public struct VPDQResult: Sendable {
    /// Codec, container, size, duration and frame rate.
    public var info: VideoInfo
    /// One feature per sampled frame, in frame order.
    public var features: [VPDQFeature]
    /// How decoding ended (a damaged video keeps the frames decoded before and around the damage).
    public var end: VideoDecoder.End
    /// Frames decoded, sampled or not.
    public var framesDecoded: Int
    /// True when hashing stopped at the first seconds asked for, before the video's end.
    public var cutShort = false
}

/// vPDQ as the reference computes it: decode every frame, pick frames by ``FrameSampling``,
/// convert the picked ones to RGB24 at the stream's size, and hash each with PDQ (the same Swift
/// PDQ as images), its timestamp the frame number over the frame rate.
public enum VPDQHasher {
    /// Hashes the video in `source`.
    ///
    /// - Parameter secondsPerHash: the sampling interval in seconds; 0 hashes every frame.
    /// - Parameter maxPixels: frames declaring more pixels are refused.
    /// - Parameter firstSeconds: when given, only frames whose time is below it are hashed, and
    ///   decoding stops at the first sampled frame past it (``VPDQResult/cutShort``).
    public static func hash(
        _ source: any VideoByteSource, secondsPerHash: Double, maxPixels: Int, firstSeconds: Int? = nil
    ) throws(VideoDecodeError) -> VPDQResult {
        let decoder = try VideoDecoder(source: source, maxPixels: maxPixels)
        let rate = decoder.info.frameRate
        let sampling = FrameSampling(secondsPerHash: secondsPerHash, frameRate: rate)
        var features: [VPDQFeature] = []
        var cutShort = false
        let end = decoder.decode(sampling: sampling) { number, image in
            if let firstSeconds, Double(number) >= Double(firstSeconds) * rate {
                cutShort = true
                return false
            }
            let result = PDQHasher.hash(image)
            features.append(VPDQFeature(
                frameNumber: number, quality: result.quality, hash: result.hash,
                timestamp: FrameSampling.timestamp(frame: number, frameRate: rate)))
            return true
        }
        return VPDQResult(info: decoder.info, features: features, end: end, framesDecoded: decoder.framesDecoded, cutShort: cutShort)
    }
}
