#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line (`getline`), each line with its newline, in constant memory.
final class LineReader {
    private let stream: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// Lines read so far.
    private(set) var lineNumber = 0

    /// Opens `path` read-only, or returns nil with `errno` set.
    init?(path: String) {
        guard let stream = fopen(path, "re") else { return nil }
        self.stream = stream
    }

    deinit {
        free(buffer)
        fclose(stream)
    }

    /// The next line (with its trailing newline, if it has one), or nil at the end.
    func next() -> [UInt8]? {
        let count = getline(&buffer, &capacity, stream)
        guard count > 0, let buffer else { return nil }
        lineNumber += 1
        return Array(UnsafeRawBufferPointer(start: buffer, count: count))
    }
}
