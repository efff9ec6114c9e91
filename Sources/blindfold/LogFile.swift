import BlindfoldCore
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The `--log-file` target: an append-only file outside every root, shared by all loggers.
final class LogFile: Sendable {
    private let descriptor: Int32

    /// Checks that `path` is outside every root; returns its canonical form.
    static func check(_ path: String, roots: [PathBytes]) throws -> String {
        let canonical = try CanonicalPath.prospective(path)
        for root in roots where canonical.bytes.starts(with: root.bytes + [UInt8(ascii: "/")]) || canonical == root
            || root.bytes == [UInt8(ascii: "/")]
        {
            throw CommandLineError("--log-file '\(path)' is inside the scanned root '\(root.escaped)'")
        }
        return canonical.escaped
    }

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            throw CommandLineError("--log-file '\(path)' cannot be opened: \(String(cString: strerror(errno)))")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends one line (a single write, so lines from several threads never interleave).
    func append(_ line: String) {
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// A swift-log handler writing `TIME LEVEL LABEL: message key=value` lines to a ``LogFile``.
struct FileLogHandler: LogHandler {
    let label: String
    let file: LogFile
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, file: LogFile) {
        self.label = label
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let pairs = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        file.append("\(Timestamp.now().rfc3339) \(event.level) \(label): \(event.message)\(pairs)\n")
    }
}
