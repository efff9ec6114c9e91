import Crypto
import Evidence
#if canImport(Glibc)
import Glibc
#endif

/// The libmagic database a scan identifies types with, named independently of where it lies:
/// where it came from, the libmagic that reads it and each file's SHA-256.
public struct MagicDatabaseIdentity: Sendable, Hashable {
    /// One file of the database: its name (no folder) and digest.
    public struct File: Sendable, Hashable {
        /// The file's name without its folder (`magic.mgc`).
        public var name: String
        /// Its SHA-256 in lowercase hex, or nil when it could not be read.
        public var sha256: String?
    }

    /// `bundle` (the portable release's copy), `environment` (`$MAGIC`) or `system`.
    public var source: String
    /// The files libmagic reads, in order.
    public var files: [File]

    /// The identity of `database`, its files read and hashed now.
    init(_ database: MagicDatabase) {
        source = database.source.rawValue
        files = database.files.map { path in
            File(name: path.split(separator: "/").last.map(String.init) ?? path, sha256: Self.sha256(ofFileAt: path))
        }
    }

    /// The SHA-256 of the file at `path`, or nil when it cannot be read.
    static func sha256(ofFileAt path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
