import BlindfoldCore
import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// A container's bytes from `start` to the end of a ``RandomAccessInput``, as libarchive's read,
/// seek and skip callbacks see them: a reader opened over it reads a zip on disk where it needs
/// (the central directory at the end, then each member) without holding the file in memory.
///
/// Not `Sendable`: owned by one ``ArchiveReader``, whose libarchive handle calls it on the
/// reader's thread only.
final class ArchiveRandomSource {
    private let input: any RandomAccessInput
    private let start: Int64
    /// The position, relative to `start`, of the next byte libarchive reads.
    private var position: Int64 = 0
    /// The block handed to libarchive, valid until its next read callback.
    private let block: UnsafeMutableRawBufferPointer

    /// The bytes of `input` from `start` on, read in blocks of `blockSize`.
    init(_ input: any RandomAccessInput, start: Int64, blockSize: Int = 64 * 1024) {
        self.input = input
        self.start = max(0, min(start, input.size))
        block = .allocate(byteCount: blockSize, alignment: 16)
    }

    deinit { block.deallocate() }

    /// The number of bytes libarchive sees.
    var size: Int64 { input.size - start }

    /// The next block (empty at the end).
    func read() throws(ItemReadError) -> UnsafeRawBufferPointer {
        let count = try input.read(at: start + position, into: block)
        position += Int64(count)
        return UnsafeRawBufferPointer(rebasing: block[0..<count])
    }

    /// Moves to `offset` from `whence` (`SEEK_SET`, `SEEK_CUR`, `SEEK_END`); the new position,
    /// or -1 for a position before the start.
    func seek(_ offset: Int64, whence: Int32) -> Int64 {
        let base: Int64
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = position
        case SEEK_END: base = size
        default: return -1
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return target
    }

    /// Skips up to `request` bytes forward; the number skipped (never past the end).
    func skip(_ request: Int64) -> Int64 {
        let skipped = max(0, min(request, size - position))
        position += skipped
        return skipped
    }
}

/// libarchive's C callbacks over an ``ArchiveRandomSource``, reached through the context pointer.
enum ArchiveRandomCallbacks {
    static let read: @convention(c) (
        OpaquePointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<UnsafeRawPointer?>?
    ) -> la_ssize_t = { archive, context, block in
        guard let context, let block else { return -1 }
        let source = Unmanaged<ArchiveRandomSource>.fromOpaque(context).takeUnretainedValue()
        do throws(ItemReadError) {
            let chunk = try source.read()
            block.pointee = chunk.baseAddress
            return chunk.count
        } catch {
            carchive_set_error(archive, EIO, "upstream \(error.status.rawValue): \(error.reason)")
            return -1
        }
    }

    static let seek: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, la_int64_t, Int32) -> la_int64_t = {
        _, context, offset, whence in
        guard let context else { return -1 }
        return la_int64_t(Unmanaged<ArchiveRandomSource>.fromOpaque(context).takeUnretainedValue().seek(Int64(offset), whence: whence))
    }

    static let skip: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, la_int64_t) -> la_int64_t = {
        _, context, request in
        guard let context else { return 0 }
        return la_int64_t(Unmanaged<ArchiveRandomSource>.fromOpaque(context).takeUnretainedValue().skip(Int64(request)))
    }
}
