import BlindfoldCore

/// Where a container's parser gets the container's bytes from: the next block, in order.
///
/// A block stays valid until the next call. An empty block is the end. The scanner's
/// implementation is a tee that also feeds the container's own hash sessions, so a container is
/// hashed and expanded in one pass over its bytes.
public protocol ContainerInput: AnyObject {
    /// The next block of the container, or an empty one at its end.
    func nextBlock() throws(ItemReadError) -> UnsafeRawBufferPointer
}

/// How a container's bytes reach its parser.
public enum ContainerBytes {
    /// Block by block, in the same pass that hashes the container.
    case stream(any ContainerInput)
    /// All at once, held in memory for the parser's lifetime (formats that need random access,
    /// and containers that are themselves small members already read whole).
    case memory(UnsafeRawBufferPointer)
}
