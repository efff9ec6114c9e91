import BlindfoldCore

/// A container's bytes read at any offset: an evidence file on disk, or bytes in memory.
///
/// Disk images need it: a file system is read where its metadata points, and an image may be
/// far larger than memory.
public protocol RandomAccessInput: AnyObject {
    /// The number of bytes.
    var size: Int64 { get }

    /// Reads up to `buffer.count` bytes from `offset`; fewer at the end, 0 past it.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int
}

/// Bytes in memory, read at any offset.
///
/// Borrows `bytes`: the caller keeps them alive and unchanged while the input is used.
public final class MemoryRandomAccess: RandomAccessInput {
    private let bytes: UnsafeRawBufferPointer

    /// An input over `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public var size: Int64 { Int64(bytes.count) }

    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard offset >= 0, offset < Int64(bytes.count), let base = bytes.baseAddress else { return 0 }
        let count = min(buffer.count, bytes.count - Int(offset))
        buffer.baseAddress?.copyMemory(from: base.advanced(by: Int(offset)), byteCount: count)
        return count
    }
}

extension ContainerFormat {
    /// Opens the container over random access to its bytes. Formats that answer
    /// ``ContainerAccess/randomAccess`` implement it; the others are never asked.
    public func open(random: any RandomAccessInput) throws(ItemReadError) -> any Container {
        throw ItemReadError(status: .unsupported, reason: "this container format is not read with random access")
    }

    /// One file through ``open(random:)``; several are refused (formats made of segments
    /// implement this themselves).
    public func open(segments: [any RandomAccessInput]) throws(ItemReadError) -> any Container {
        guard segments.count == 1, let only = segments.first else {
            throw ItemReadError(status: .unsupported, reason: "this container format reads one file; \(segments.count) were handed over")
        }
        return try open(random: only)
    }
}

extension Container {
    /// For a disk image, its size and volume layout (its record states them); nil otherwise.
    public var diskLayout: DiskLayout? { nil }
}
