import Glibc

/// Where a video's bytes come from: read at an offset, with a known size. FFmpeg reads through
/// ``CustomInput`` from one of these, never from a path, so a worker decodes evidence it was
/// handed (a descriptor or bytes in memory) without opening anything itself.
public protocol VideoByteSource: AnyObject {
    /// The total size in bytes.
    var size: Int64 { get }
    /// Copies up to `buffer.count` bytes from `offset` into `buffer`; the count copied (0 at the
    /// end), or nil on a read error.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int?
}

/// A video held in memory (an archive member, or a file's bytes handed to a worker).
public final class MemoryVideoSource: VideoByteSource {
    private let bytes: [UInt8]

    /// A source over `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var size: Int64 { Int64(bytes.count) }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int? {
        guard offset >= 0, offset <= Int64(bytes.count) else { return nil }
        let start = Int(offset)
        let count = min(buffer.count, bytes.count - start)
        guard count > 0 else { return 0 }
        return bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let target = buffer.baseAddress else { return 0 }
            target.copyMemory(from: base + start, byteCount: count)
            return count
        }
    }
}

/// A video read from an open descriptor with `pread`, so the descriptor's own offset is never
/// moved and nothing is buffered beyond FFmpeg's I/O buffer. The descriptor is not closed here:
/// whoever opened it (read-only) closes it.
public final class DescriptorVideoSource: VideoByteSource {
    private let descriptor: Int32
    public let size: Int64

    /// A source over `descriptor`; nil when it cannot be stat'ed or is not a regular file.
    public init?(descriptor: Int32) {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int? {
        while true {
            let got = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            return got < 0 ? nil : got
        }
    }
}
