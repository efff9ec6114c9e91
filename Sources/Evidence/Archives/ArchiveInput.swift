import BlindfoldCore

/// Where an ``ArchiveReader`` gets the container's bytes from: the next block, in order.
///
/// A block stays valid until the next call. An empty block is the end. Implementations are
/// the scanner's "tee" that also feeds the container's own hash sessions, so the container is
/// hashed and expanded in one pass over its bytes.
public protocol ArchiveInput: AnyObject {
    /// The next block of the container, or an empty one at its end.
    func nextBlock() throws(ItemReadError) -> UnsafeRawBufferPointer
}
