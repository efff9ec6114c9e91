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

    /// A zip on disk larger than `seekable_archive_bytes` (``ContainerAccess/inMemoryWhenSmall(orStreamed:fromFileWhenLarge:)``),
    /// read from the file with both zip readers; any other archive with every reader.
    public func open(random: any RandomAccessInput) throws(ItemReadError) -> any Container {
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 1)
        defer { head.deallocate() }
        let count = try random.read(at: 0, into: head)
        if count == 4, head.elementsEqual([0x50, 0x4B, 0x03, 0x04]) { return try ZipCrossCheck(random: random) }
        return try ArchiveReader(random: random)
    }
}
