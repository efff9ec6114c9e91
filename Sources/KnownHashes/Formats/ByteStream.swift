#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto

/// Reads a set file sequentially in large chunks, in constant memory, and digests every byte it
/// reads (the SHA-256 the manifest header records).
///
/// The window of unread bytes lives in one buffer this type owns; readers look at it through
/// ``unread`` and mark bytes consumed with ``consume(_:)``. Not shared between threads: one
/// import owns one stream.
final class ByteStream {
    /// The set file.
    let path: String
    private let descriptor: Int32
    private var hasher = SHA256()
    private var storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private(set) var atEnd = false
    /// Bytes consumed so far.
    private(set) var offset: Int64 = 0

    /// Opens `path` read-only.
    init(path: String, chunkSize: Int = 1 << 20) throws(HashSetError) {
        // O_CLOEXEC: hash sets are inputs, not evidence; plain read-only access suffices.
        let descriptor = try SetFile.open(path)
        self.descriptor = descriptor
        self.path = path
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        storage.deallocate()
        close(descriptor)
    }

    /// The bytes read but not yet consumed.
    var unread: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[start..<end])
    }

    /// Marks the first `count` unread bytes as consumed.
    @inline(__always)
    func consume(_ count: Int) {
        start += count
        offset += Int64(count)
    }

    /// The next byte, consuming it; nil at the end of the file.
    @inline(__always)
    func nextByte() throws(HashSetError) -> UInt8? {
        if start == end, try !refill() { return nil }
        let byte = storage[start]
        start += 1
        offset += 1
        return byte
    }

    /// The next byte without consuming it; nil at the end of the file.
    @inline(__always)
    func peekByte() throws(HashSetError) -> UInt8? {
        if start == end, try !refill() { return nil }
        return storage[start]
    }

    /// Reads more bytes after the unread ones (growing the buffer when it is full, up to
    /// `limit`); false when the file has no more.
    @discardableResult
    func refill(limit: Int = 1 << 26) throws(HashSetError) -> Bool {
        if atEnd { return false }
        if start > 0 {
            let count = end - start
            if count > 0, let base = storage.baseAddress { memmove(base, base + start, count) }
            start = 0
            end = count
        }
        if end == storage.count {
            guard storage.count < limit else {
                throw HashSetError(file: path, reason: "a line or value is longer than \(limit >> 20) MiB")
            }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: storage.count * 2, alignment: 16)
            bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[0..<end]))
            storage.deallocate()
            storage = bigger
        }
        while true {
            guard let base = storage.baseAddress else { return false }
            let count = read(descriptor, base + end, storage.count - end)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else {
                throw HashSetError(file: path, reason: "read error (\(String(cString: strerror(errno))))")
            }
            if count == 0 {
                atEnd = true
                return false
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base + end, count: count))
            end += count
            return true
        }
    }

    /// Reads (and digests) whatever is left, so that ``digest()`` covers the whole file.
    func drain() throws(HashSetError) {
        while true {
            start = end
            guard try refill() else { return }
        }
    }

    /// SHA-256 of every byte read so far (call after the last one).
    func digest() -> String {
        Hex.encode(hasher.finalize())
    }
}
