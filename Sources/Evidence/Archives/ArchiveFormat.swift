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
        case .memory(let memory):
            // A zip in memory is read with both zip readers (local headers and directory).
            if memory.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try ZipCrossCheck(memory: memory) }
            return try ArchiveReader(memory: memory)
        }
    }
}
