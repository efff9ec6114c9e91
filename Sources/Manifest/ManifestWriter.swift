#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto

/// Writes `DIR/manifest.jsonl` line by line under a temporary name, then renames it into place
/// and writes the `manifest.jsonl.sha256` sidecar (a `sha256sum` line), so a manifest under its
/// final name is always whole.
///
/// Not thread-safe: the scan's single ordered writer owns it.
public final class ManifestWriter {
    /// The manifest's final file name inside the output directory.
    public static let fileName = "manifest.jsonl"
    /// The name it has while the scan runs (what `--resume` continues).
    public static let partialName = ".manifest.jsonl.partial"
    /// The sidecar's file name.
    public static let sidecarName = "manifest.jsonl.sha256"

    private let directory: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var failure: ManifestError?
    /// Bytes handed to the file so far (the buffer not included).
    public private(set) var bytesOnDisk: Int64 = 0
    /// Bytes waiting in the buffer.
    public var bufferedBytes: Int { buffer.count }

    /// The final manifest path.
    public var manifestPath: String { directory + "/" + Self.fileName }

    /// Starts a manifest in `directory` (which must exist), or continues the partial one
    /// there when `continuing` (its bytes are read once to carry on the digest).
    public init(directory: String, continuing: Bool = false) throws(ManifestError) {
        self.directory = directory
        self.temporaryPath = directory + "/" + Self.partialName
        let flags = continuing ? O_RDWR | O_APPEND | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        let fd = open(temporaryPath, flags | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw ManifestError(path: temporaryPath, operation: continuing ? "open" : "create", code: errno)
        }
        descriptor = fd
        buffer.reserveCapacity(1 << 20)
        if continuing {
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var offset: Int64 = 0
            while true {
                let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
                guard count >= 0 else { throw ManifestError(path: temporaryPath, operation: "read", code: errno) }
                if count == 0 { break }
                chunk.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                offset += Int64(count)
            }
            bytesOnDisk = offset
        }
    }

    deinit {
        // A manifest that was not finished stays under its partial name for --resume.
        if descriptor >= 0 { close(descriptor) }
    }

    /// Hands the buffer to the file and syncs it; returns the bytes now on disk, or nil when
    /// writing or syncing failed (then nothing may be journaled as safe).
    @discardableResult
    public func checkpoint() -> Int64? {
        flush()
        guard failure == nil, fdatasync(descriptor) == 0 else {
            if failure == nil { failure = ManifestError(path: temporaryPath, operation: "fdatasync", code: errno) }
            return nil
        }
        return bytesOnDisk
    }

    /// Appends one JSON line. A write failure is remembered and reported by ``finish()``.
    public func append(_ line: JSONValue) {
        var text = line.serialized
        text += "\n"
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes the rest, syncs, renames into place and writes the sidecar.
    ///
    /// - Returns: the SHA-256 of the manifest.
    public func finish() throws(ManifestError) -> String {
        flush()
        if let failure { throw failure }
        guard fsync(descriptor) == 0 else { throw ManifestError(path: temporaryPath, operation: "fsync", code: errno) }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, manifestPath) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw ManifestError(path: manifestPath, operation: "rename", code: code)
        }
        let digest = Hex.encode(hasher.finalize())
        try Self.writeAtomically(
            Array("\(digest)  \(Self.fileName)\n".utf8), to: directory + "/" + Self.sidecarName)
        return digest
    }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress?.advanced(by: offset), raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = ManifestError(path: temporaryPath, operation: "write", code: errno)
                return
            }
            offset += written
        }
        bytesOnDisk += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes `bytes` to `path` through a temporary file and a rename.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ManifestError) {
        let temporary = path + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw ManifestError(path: temporary, operation: "create", code: errno) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw ManifestError(path: path, operation: "write", code: code)
        }
    }
}

/// The manifest could not be written.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What was being done.
    public var operation: String
    /// The `errno`.
    public var code: Int32

    /// An error from its parts.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }
}
