import BlindfoldCore

/// Disk images recognised by content and read through The Sleuth Kit: raw/dd, split raw, E01,
/// VHD and VMDK (``ImageMedia`` turns the image's files into the media TSK reads); a file on
/// disk with random access (never copied), a member from memory.
public struct DiskImageFormat: ContainerFormat {
    /// The disk image format.
    public init() {}

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
        let media = try ImageMedia.open(random, kind: kind)
        return try DiskImageReader(input: media.input, sectorSize: media.sectorSize, facts: media.facts)
    }
}
