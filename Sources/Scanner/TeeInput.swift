import BlindfoldCore
import Evidence

/// Hands a container's bytes to its parser while feeding the same bytes to the container's
/// own hash sessions: one read pass serves both. Optionally keeps a copy (capped) for formats
/// that need random access.
final class TeeInput: ContainerInput {
    private let source: any ChunkSource
    private let buffer: UnsafeMutableRawBufferPointer
    private let pass: ItemPass?
    private let interrupt: InterruptFlag
    private var pendingFirst: Int?
    private var copyLimit: Int64?
    /// Bytes read from the source so far.
    private(set) var consumed: Int64
    /// The copy kept for random access, when asked for and within the limit.
    private(set) var copy: [UInt8] = []
    /// True when the copy would have exceeded its limit (and was dropped).
    private(set) var copyOverflowed = false
    /// The source's failure, if reading it failed.
    private(set) var failure: ItemReadError?
    private var finished = false
    /// The part of the current chunk not yet handed to the parser.
    private var handed = 0..<0

    /// A parser gets at most this much per call: libarchive's decompressors read ahead by whole blocks,
    /// and small blocks let a truncated stream yield every member before the damage.
    static let blockLimit = 64 << 10

    /// A tee over `source`, whose first `firstCount` bytes are already in `buffer` and already
    /// fed to `pass` (nil when the container's bytes were hashed already).
    init(
        source: any ChunkSource, buffer: UnsafeMutableRawBufferPointer, firstCount: Int, interrupt: InterruptFlag,
        keepCopyUpTo copyLimit: Int64? = nil, pass: ItemPass?
    ) {
        self.source = source
        self.buffer = buffer
        self.pass = pass
        self.interrupt = interrupt
        self.pendingFirst = firstCount
        self.consumed = Int64(firstCount)
        self.copyLimit = copyLimit
        if copyLimit != nil { keep(UnsafeRawBufferPointer(rebasing: buffer[0..<firstCount])) }
    }

    func nextBlock() throws(ItemReadError) -> UnsafeRawBufferPointer {
        if let failure { throw failure }
        if let first = pendingFirst {
            pendingFirst = nil
            handed = 0..<first
        }
        if !handed.isEmpty {
            let end = min(handed.upperBound, handed.lowerBound + Self.blockLimit)
            let block = UnsafeRawBufferPointer(rebasing: buffer[handed.lowerBound..<end])
            handed = end..<handed.upperBound
            return block
        }
        if finished { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if interrupt.isRaised {
            let stop = ItemReadError(status: .skipped, reason: interrupt.itemReason)
            failure = stop
            throw stop
        }
        let count: Int
        do {
            count = try source.read(into: buffer)
        } catch {
            failure = error
            throw error
        }
        if count == 0 {
            finished = true
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        consumed += Int64(count)
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        pass?.feed(chunk)
        if copyLimit != nil { keep(chunk) }
        handed = 0..<count
        return try nextBlock()
    }

    /// All of the container's bytes when its source holds them in memory.
    var wholeBytes: UnsafeRawBufferPointer? { source.wholeBytes }

    /// Reads (and feeds) whatever the parser left unread, to the end of the container.
    func drain() throws(ItemReadError) {
        pendingFirst = nil
        handed = 0..<0
        while try nextBlock().count > 0 {}
    }

    private func keep(_ chunk: UnsafeRawBufferPointer) {
        guard let limit = copyLimit else { return }
        if Int64(copy.count + chunk.count) > limit {
            copyOverflowed = true
            copyLimit = nil
            copy = []
            return
        }
        copy.append(contentsOf: chunk)
    }
}
