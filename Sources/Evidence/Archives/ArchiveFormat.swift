import BlindfoldCore

/// Archives and compressed streams, read through libarchive and recognised by content.
public struct ArchiveFormat: ContainerFormat {
    /// The archive format.
    public init() {}

    public func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        ArchiveDetection.access(for: mime, head: head)
    }

    public func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        switch bytes {
        case .stream(let input): return try ArchiveReader(input: input)
        case .memory(let memory): return try ArchiveReader(memory: memory)
        }
    }
}
