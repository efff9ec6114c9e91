#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
#if canImport(Glibc)
import CLinux
#endif

/// A regular evidence file opened read-only: the thin wrapper around its descriptor.
///
/// Opening checks that the object is still the regular file the walker saw (same device and
/// inode); anything else means it was replaced or removed in between, and is reported as
/// vanished rather than read.
public struct EvidenceFile: ~Copyable {
    private let descriptor: Int32
    /// `fstat` taken right after opening.
    public let stat: FileStat
    /// The bytes there are to read: the file's size, or a block device's (`BLKGETSIZE64`).
    public let size: Int64

    /// Opens `path` (absolute, or relative to the working directory), expecting the object
    /// `expected` describes.
    public init(path: PathBytes, expected: FileStat?) throws(ItemReadError) {
        try self.init(at: .root(path), expected: expected)
    }

    /// Opens the object at `location`, expecting the object `expected` describes.
    public init(at location: EntryLocation, expected: FileStat?) throws(ItemReadError) {
        let fd: Int32
        switch ReadOnlyOpen.open(location) {
        case .success(let opened): fd = opened
        case .failure(let failure):
            if failure.code == ELOOP {
                throw ItemReadError(status: .vanished, reason: "replaced by a symbolic link after it was listed")
            }
            throw ItemReadError(status: failure.itemStatus, reason: "could not be opened (\(failure))")
        }
        var raw = Glibc.stat()
        guard fstat(fd, &raw) == 0 else {
            let failure = SystemFailure(operation: "fstat", errno: errno)
            close(fd)
            throw ItemReadError(status: .unreadable, reason: "could not be examined after opening (\(failure))")
        }
        let opened = FileStat(raw)
        // A block device is read only when the walker said so (a root: `scan /dev/sdX`).
        let device = opened.kind == .blockDevice && expected?.kind == .blockDevice
        if opened.kind != .file && !device {
            close(fd)
            throw ItemReadError(status: .vanished, reason: "replaced by a \(opened.kind.rawValue) after it was listed")
        }
        if let expected, expected.device != opened.device || expected.inode != opened.inode {
            close(fd)
            throw ItemReadError(status: .vanished, reason: "replaced by another file after it was listed")
        }
        #if canImport(Glibc)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        var size = opened.size
        #if canImport(Glibc)
        if device {
            var bytes: UInt64 = 0
            guard clinux_block_device_size(fd, &bytes) == 0, bytes <= UInt64(Int64.max) else {
                let failure = SystemFailure(operation: "ioctl BLKGETSIZE64", errno: errno)
                close(fd)
                throw ItemReadError(status: .unreadable, reason: "the block device's size could not be read (\(failure))")
            }
            size = Int64(bytes)
        }
        #endif
        self.descriptor = fd
        self.stat = opened
        self.size = size
    }

    deinit { close(descriptor) }

    /// The read-only descriptor, borrowed (open while the file is), to hand to a container
    /// worker, which receives a duplicate and reads it without a path.
    public var readOnlyDescriptor: Int32 { descriptor }
    /// Calls `body` with the read-only descriptor (`O_RDONLY`), for a reader that must be lent
    /// the file itself (a decoder worker is handed a duplicate over its socket). Valid only during
    /// the call; `body` must not close it, and must read with `pread` (the sequential position is
    /// the scanner's).
    public func withReadOnlyDescriptor<Result>(_ body: (Int32) -> Result) -> Result {
        body(descriptor)
    }

    /// Reads up to `buffer.count` bytes at `offset`, without moving the sequential position;
    /// 0 at or past the end of the file.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let failure = SystemFailure(operation: "pread", errno: errno)
            throw ItemReadError(status: .unreadable, reason: "read failed (\(failure))")
        }
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let failure = SystemFailure(operation: "read", errno: errno)
            throw ItemReadError(status: .unreadable, reason: "read failed (\(failure))")
        }
    }
}

/// Why an item could not be read: the status for its record and a sentence without content.
public struct ItemReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status to record.
    public var status: ItemStatus
    /// The reason to record.
    public var reason: String

    /// An error from its parts.
    public init(status: ItemStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.rawValue): \(reason)" }
}
