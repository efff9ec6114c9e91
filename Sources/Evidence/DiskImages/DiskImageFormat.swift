import BlindfoldCore

/// Disk images (raw/dd) recognised by content and read through The Sleuth Kit: a file on disk
/// with random access (never copied), a member from memory.
public struct DiskImageFormat: ContainerFormat {
    /// Whether and how unallocated space is carved after the files (on by default).
    public var carving: CarvingOptions
    /// Each file system's media (by extension) before its other files: a triage's order.
    public var mediaFirst: Bool

    /// The disk image format, carving as `carving` says, in listing order unless `mediaFirst`.
    public init(carving: CarvingOptions = CarvingOptions(), mediaFirst: Bool = false) {
        self.carving = carving
        self.mediaFirst = mediaFirst
    }

    public func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        DiskImageDetection.kind(mime: mime, head: head) == nil ? nil : .randomAccess
    }

    public func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        switch bytes {
        case .memory(let memory): return try open(random: MemoryRandomAccess(memory))
        case .stream:
            throw ItemReadError(status: .unsupported, reason: "a disk image needs random access; it was offered as a stream")
        }
    }

    public func open(random: any RandomAccessInput) throws(ItemReadError) -> any Container {
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: DiskImageDetection.headBytes, alignment: 8)
        defer { head.deallocate() }
        let count = try random.read(at: 0, into: head)
        let kind = DiskImageDetection.kind(mime: nil, head: UnsafeRawBufferPointer(rebasing: head[0..<count]))
        if let kind, let unread = kind.notYetRead {
            throw ItemReadError(status: .unsupported, reason: unread)
        }
        return try DiskImageReader(input: random, carving: carving, mediaFirst: mediaFirst)
    }
}
