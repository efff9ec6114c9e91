/// Which decoded frames are hashed, exactly as the reference (ThreatExchange vPDQ) chooses them:
/// frames are numbered from 0 in the order the decoder returns them, and every frame whose
/// number is a multiple of `step` is hashed, where `step` is `secondsPerHash * frameRate`
/// truncated toward zero (the reference's `static_cast<int>`), and 1 when that is 0 (every
/// frame with an interval of 0, or a rate below one frame per interval).
public struct FrameSampling: Sendable, Hashable {
    /// Hash every `step`-th decoded frame.
    public let step: Int

    /// The sampling for an interval (seconds, 0 for every frame) at `frameRate` frames per second.
    public init(secondsPerHash: Double, frameRate: Double) {
        let product = secondsPerHash * frameRate
        // The reference's cast of an out-of-range double is undefined; a huge step hashes frame 0 only.
        let truncated = product.isFinite && product < Double(Int32.max) ? Int(product) : Int(Int32.max)
        step = max(truncated, 1)
    }

    /// True when frame `number` (0-based, decoder order) is hashed.
    public func samples(_ number: Int) -> Bool { number % step == 0 }

    /// The frame's timestamp as the reference writes it: its number over the frame rate, in
    /// single precision (the reference divides a float by a float).
    public static func timestamp(frame number: Int, frameRate: Double) -> Double {
        Double(Float(number) / Float(frameRate))
    }
}
