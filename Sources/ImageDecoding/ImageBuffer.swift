import BlindfoldCore

/// The bytes of one image item, collected from the read pass up to a size cap.
///
/// Decoders need the whole file; the cap keeps a huge or lying item from taking memory it
/// should not. Shared by the perceptual plugins; one session owns it.
public struct ImageBuffer {
    /// The most bytes kept; an item beyond it gets `limit`.
    public let cap: Int
    private(set) var bytes: [UInt8] = []
    private(set) var overflowed = false

    /// An empty buffer that keeps at most `cap` bytes, sized for `expected` when known.
    public init(cap: Int, expected: Int64?) {
        self.cap = cap
        // A declared size (an archive member's header, say) may lie: reserve modestly, grow as read.
        if let expected, expected > 0 { bytes.reserveCapacity(Int(min(expected, Int64(min(cap, 16 << 20))))) }
    }

    /// Appends the next chunk, or drops everything once the cap is passed.
    public mutating func append(_ chunk: UnsafeRawBufferPointer) {
        guard !overflowed else { return }
        guard bytes.count + chunk.count <= cap else {
            overflowed = true
            bytes = []
            return
        }
        bytes.append(contentsOf: chunk)
    }

    /// The collected bytes without a copy, or nil when the item was larger than the cap.
    public var contents: [UInt8]? { overflowed ? nil : bytes }

    /// The failure recorded for an item larger than the cap.
    public var overflowFailure: PluginFailure {
        PluginFailure(status: .limit, reason: "the image file is larger than \(cap) bytes")
    }

    /// The collected bytes, or the `limit` failure when the item was larger than the cap.
    public func withBytes(_ body: (UnsafeRawBufferPointer) -> PluginOutcome) -> PluginOutcome {
        if overflowed {
            return .failure(overflowFailure)
        }
        return bytes.withUnsafeBytes(body)
    }
}
