#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Crypto

/// Reads a set file line by line in constant memory, and digests every byte it reads.
///
/// Lines come without their `\n` (a trailing `\r` is removed too) and the first line without a
/// UTF-8 byte-order mark.
final class LineSource {
    private let stream: UnsafeMutablePointer<FILE>
    private var hasher = SHA256()
    private(set) var lineNumber = 0
    let path: String

    init(path: String) throws(HashSetError) {
        // "e": close on exec. Hash sets are inputs, not evidence; plain read-only access suffices.
        guard let stream = fopen(path, "re") else {
            let code = errno
            throw HashSetError(file: path, reason: "cannot be read (\(String(cString: strerror(code))))")
        }
        self.stream = stream
        self.path = path
    }

    deinit { fclose(stream) }

    /// The next line, or nil at the end of the file.
    func nextLine() throws(HashSetError) -> [UInt8]? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, stream)
        guard count >= 0, let buffer else {
            if ferror(stream) != 0 { throw HashSetError(file: path, reason: "read error") }
            return nil
        }
        let raw = UnsafeRawBufferPointer(start: buffer, count: count)
        hasher.update(bufferPointer: raw)
        lineNumber += 1
        var line = Array(raw)
        if line.last == UInt8(ascii: "\n") { line.removeLast() }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        return line
    }

    /// SHA-256 of every byte read so far (call after the last line).
    func digest() -> String {
        Hex.encode(hasher.finalize())
    }

    /// An error at the current line.
    func error(_ reason: String) -> HashSetError {
        HashSetError(file: path, line: lineNumber, reason: reason)
    }
}
