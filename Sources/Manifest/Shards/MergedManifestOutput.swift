#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto

/// The merged manifest being written: raw lines (the shards' item lines are copied byte for
/// byte) under the manifest's temporary name, renamed into place with its sidecar at the end,
/// or removed when the merge fails, so a failed merge leaves nothing behind.
final class MergedManifestOutput {
    private let directory: String
    private let temporaryPath: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private var failure: ManifestError?

    /// Creates `DIR/.manifest.jsonl.partial` (replacing a stale one).
    init(directory: String) throws(ManifestError) {
        self.directory = directory
        temporaryPath = directory + "/" + ManifestWriter.partialName
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw ManifestError(path: temporaryPath, operation: "create", code: errno) }
        descriptor = fd
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(descriptor) }

    /// Appends one line (which ends with its newline).
    func append(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Syncs, renames into place, writes the sidecar; returns the manifest's SHA-256.
    func finish() throws(ManifestError) -> String {
        flush()
        if let failure { throw failure }
        guard fsync(descriptor) == 0 else { throw ManifestError(path: temporaryPath, operation: "fsync", code: errno) }
        let final = directory + "/" + ManifestWriter.fileName
        guard rename(temporaryPath, final) == 0 else { throw ManifestError(path: final, operation: "rename", code: errno) }
        let digest = Hex.encode(hasher.finalize())
        try ManifestWriter.writeAtomically(
            Array("\(digest)  \(ManifestWriter.fileName)\n".utf8), to: directory + "/" + ManifestWriter.sidecarName)
        return digest
    }

    /// Removes the partial manifest.
    func abandon() { unlink(temporaryPath) }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        buffer.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress?.advanced(by: offset), $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = ManifestError(path: temporaryPath, operation: "write", code: errno)
                return
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
