#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to file descriptor 2 (the C `stderr` global is not concurrency-safe).
enum StandardError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw in
                Glibc.write(STDERR_FILENO, raw.baseAddress?.advanced(by: offset), raw.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
        bytes.removeAll()
    }
}
