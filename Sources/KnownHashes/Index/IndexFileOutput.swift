#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto

/// A new file written under a temporary name in the target's folder and renamed over the
/// target only by ``commit()``: until then, and after any failure, the target is untouched and
/// the temporary file is removed (when this value is dropped).
///
/// Buffered, and digests every byte after the header, which is written last with `pwrite`.
final class IndexFileOutput {
    let target: String
    private let temporary: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var committed = false
    /// Bytes written so far, header included.
    private(set) var position = 0

    init(target: String) throws(HashSetError) {
        self.target = target
        let folder = target.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let base = String(target.split(separator: "/").last ?? Substring(target))
        var template = Array(((folder.isEmpty && !target.hasPrefix("/") ? "" : folder + "/") + ".\(base).tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else {
            throw HashSetError(file: target, reason: "cannot be created (\(String(cString: strerror(errno))))")
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        fchmod(descriptor, 0o644)
        self.descriptor = descriptor
        temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed {
            close(descriptor)
            unlink(temporary)
        }
    }

    /// Appends `bytes` (digested unless `header`).
    func write(_ bytes: UnsafeRawBufferPointer) throws(HashSetError) {
        hasher.update(bufferPointer: bytes)
        buffer.append(contentsOf: bytes)
        position += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Appends `bytes`.
    func write(_ bytes: [UInt8]) throws(HashSetError) {
        var failure: HashSetError?
        bytes.withUnsafeBytes { raw in
            do throws(HashSetError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Appends a little-endian integer.
    func write<Integer: FixedWidthInteger>(_ value: Integer) throws(HashSetError) {
        try write(withUnsafeBytes(of: value.littleEndian) { Array($0) })
    }

    /// Appends zero bytes up to a multiple of `alignment`.
    func pad(to alignment: Int) throws(HashSetError) {
        let padding = IndexLayout.aligned(position, alignment) - position
        if padding > 0 { try write([UInt8](repeating: 0, count: padding)) }
    }

    /// Reserves the header's bytes (not digested; written by ``finish(header:)``).
    func skipHeader() throws(HashSetError) {
        buffer.append(contentsOf: [UInt8](repeating: 0, count: IndexLayout.headerSize))
        position += IndexLayout.headerSize
    }

    /// SHA-256 of everything after the header.
    func bodyDigest() -> [UInt8] { Array(hasher.finalize()) }

    /// Writes the header at offset 0, syncs, and renames the file over the target.
    func commit(header: [UInt8]) throws(HashSetError) {
        try flush()
        let written = header.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == header.count else { throw failure("write") }
        guard fsync(descriptor) == 0 else { throw failure("sync") }
        guard rename(temporary, target) == 0 else { throw failure("rename into place") }
        committed = true
        close(descriptor)
    }

    private func flush() throws(HashSetError) {
        var offset = 0
        while offset < buffer.count {
            let count = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("write") }
            offset += count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func failure(_ action: String) -> HashSetError {
        HashSetError(file: target, reason: "cannot \(action) (\(String(cString: strerror(errno))))")
    }
}
