import BlindfoldCore

/// Disk images recognised by content and read through The Sleuth Kit: raw/dd, split raw, E01,
/// VHD and VMDK (``ImageMedia`` turns the image's files into the media TSK reads); a file on
/// disk with random access (never copied), a member from memory.
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
        try open(files: try ImageMedia.files(of: random, kind: try Self.kind(of: random)))
    }

    /// The image's files, found beside `input` (E01 and split-raw segments), for a container
    /// worker, which is handed their descriptors and cannot look beside them itself.
    public func files(of input: any RandomAccessInput) throws(ItemReadError) -> [any RandomAccessInput] {
        try ImageMedia.files(of: input, kind: try Self.kind(of: input))
    }

    /// The image made of `segments`, in order, as ``files(of:)`` listed them (in a worker).
    public func open(segments: [any RandomAccessInput]) throws(ItemReadError) -> any Container {
        try open(files: segments)
    }

    private func open(files: [any RandomAccessInput]) throws(ItemReadError) -> any Container {
        guard let first = files.first else {
            throw ItemReadError(status: .unreadable, reason: "no file of the image was handed over")
        }
        let media = try ImageMedia.open(files: files, kind: try Self.kind(of: first))
        return try DiskImageReader(
            input: media.input, sectorSize: media.sectorSize, facts: media.facts, carving: carving, mediaFirst: mediaFirst)
    }

    /// What the first bytes of `input` say the image is.
    private static func kind(of input: any RandomAccessInput) throws(ItemReadError) -> DiskImageDetection.Kind? {
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: DiskImageDetection.headBytes, alignment: 8)
        defer { head.deallocate() }
        let count = try input.read(at: 0, into: head)
        return DiskImageDetection.kind(mime: nil, head: UnsafeRawBufferPointer(rebasing: head[0..<count]))
    }
}
