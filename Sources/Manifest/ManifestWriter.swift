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
    /// The sidecar's file name.
    public static let sidecarName = "manifest.jsonl.sha256"

    private let directory: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var failure: ManifestError?

    /// The final manifest path.
    public var manifestPath: String { directory + "/" + Self.fileName }

    /// Starts a manifest in `directory` (which must exist).
    public init(directory: String) throws(ManifestError) {
        self.directory = directory
        self.temporaryPath = directory + "/." + Self.fileName + ".partial-\(getpid())"
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ManifestError(path: temporaryPath, operation: "create", code: errno)
        }
        descriptor = fd
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
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
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes `bytes` to `path` through a temporary file and a rename.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ManifestError) {
        let temporary = path + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
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
