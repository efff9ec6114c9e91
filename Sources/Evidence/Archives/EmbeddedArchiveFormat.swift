import BlindfoldCore

/// Archives that start after other bytes: self-extracting executables (a PE or ELF program
/// followed by a zip, 7-Zip or RAR archive) and zips with bytes in front of them, opened as
/// the archive they carry.
///
/// Claims every executable, and every item libmagic calls `application/octet-stream` (or
/// `application/zip`, which it says of a zip after padding) whose head holds a zip local
/// header after its first bytes; such an item is held in memory (up to
/// `seekable_archive_bytes`; a larger one that is a file on disk is searched for a zip only,
/// read from the file, and otherwise only hashed) and opened only
/// when ``EmbeddedArchive`` finds an archive whose structure checks out, so a program without
/// one keeps its plain record. The archive is read from its own first byte (a zip with both
/// readers, ``ZipCrossCheck``).
public struct EmbeddedArchiveFormat: ContainerFormat {
    /// The format.
    public init() {}

    public func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        guard let mime else { return nil }
        if EmbeddedArchive.isExecutable(head) { return .inMemoryWhenSmall(orStreamed: false, fromFileWhenLarge: true) }
        if mime == "application/zip" || mime == "application/octet-stream", EmbeddedArchive.holdsZipHeader(head),
           !head.starts(with: [0x50, 0x4B]) {
            return .inMemoryWhenSmall(orStreamed: false, fromFileWhenLarge: true)
        }
        return nil
    }

    public func claims(memory: UnsafeRawBufferPointer) -> Bool {
        EmbeddedArchive.locate(in: memory) != nil
    }

    /// A file on disk larger than `seekable_archive_bytes` is one when a zip after its first
    /// byte checks out (``EmbeddedArchive/zipStart(in:)``, zips only).
    public func claims(random: any RandomAccessInput) -> Bool {
        EmbeddedArchive.zipStart(in: random) != nil
    }

    /// The zip after the leading bytes of a file on disk, read from the file with both readers.
    public func open(random: any RandomAccessInput) throws(ItemReadError) -> any Container {
        guard let start = EmbeddedArchive.zipStart(in: random) else {
            throw ItemReadError(status: .unsupported, reason: "no archive found after the leading bytes")
        }
        return try ZipCrossCheck(random: random, zipStart: start)
    }

    public func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        guard case .memory(let memory) = bytes, let (offset, kind) = EmbeddedArchive.locate(in: memory) else {
            throw ItemReadError(status: .unsupported, reason: "no archive found after the leading bytes")
        }
        if kind == .zip { return try ZipCrossCheck(memory: memory, zipStart: offset) }
        return try ArchiveReader(memory: UnsafeRawBufferPointer(rebasing: memory[offset...]))
    }
}
