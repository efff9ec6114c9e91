#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto

/// A whole file mapped read-only into memory: the one owner of the mapping, unmapped when the
/// last reference goes.
///
/// `@unchecked Sendable` because the only state is a pointer and a length fixed at `init`, and
/// the mapping is `PROT_READ` and `MAP_PRIVATE`: no thread can write through it, so concurrent
/// reads from every scan worker are safe. Pages are read from the file when first touched, so
/// resident memory grows with the pages lookups touch, not with the file's size.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes.
    let bytes: UnsafeRawBufferPointer
    let path: String

    /// Maps `path`; a file shorter than `minimumSize` is refused before mapping.
    init(path: String, minimumSize: Int) throws(HashSetError) {
        let descriptor = try SetFile.open(path)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw HashSetError(file: path, reason: "cannot be read (\(String(cString: strerror(errno))))")
        }
        let size = Int(status.st_size)
        guard size >= minimumSize else {
            throw HashSetError(file: path, reason: "truncated index: \(size) bytes, shorter than its header")
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw HashSetError(file: path, reason: "cannot be mapped (\(String(cString: strerror(errno))))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        self.path = path
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// A little-endian integer at `offset` (the caller has checked the bounds).
    @inline(__always)
    func load<Integer: FixedWidthInteger>(_ offset: Int, as type: Integer.Type) -> Integer {
        Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
    }

    /// SHA-256 of bytes `offset...` read with `pread`, not through the mapping, so that checking
    /// the file does not make all of it resident.
    func digest(from offset: Int) throws(HashSetError) -> [UInt8] {
        let descriptor = try SetFile.open(path)
        defer { close(descriptor) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var position = offset
        while position < bytes.count {
            let count = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress, min(raw.count, bytes.count - position), off_t(position))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw HashSetError(file: path, reason: "read error while checking the index") }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            position += count
        }
        return Array(hasher.finalize())
    }
}
