#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// Reads a set file line by line in constant memory, and digests every byte it reads.
///
/// Lines come without their `\n` (a trailing `\r` is removed too) and the first line without a
/// UTF-8 byte-order mark. ``withNextLine(_:)`` lends the line without copying it (the fast path
/// for sets of hundreds of millions of lines); ``nextLine()`` returns a copy.
final class LineSource {
    private let stream: ByteStream
    private(set) var lineNumber = 0
    var path: String { stream.path }

    init(path: String) throws(HashSetError) {
        stream = try ByteStream(path: path)
    }

    /// Lends the next line to `body`; nil at the end of the file.
    func withNextLine<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(HashSetError) -> Result
    ) throws(HashSetError) -> Result? {
        var searched = 0
        while true {
            let window = stream.unread
            if let base = window.baseAddress, searched < window.count,
                let found = memchr(base + searched, 0x0A, window.count - searched)
            {
                let length = UnsafeRawPointer(found) - base
                return try lend(UnsafeRawBufferPointer(start: base, count: length), consumed: length + 1, body)
            }
            searched = window.count
            if try !stream.refill() {
                let rest = stream.unread
                if rest.isEmpty { return nil }
                return try lend(rest, consumed: rest.count, body)
            }
        }
    }

    private func lend<Result>(
        _ raw: UnsafeRawBufferPointer, consumed: Int,
        _ body: (UnsafeBufferPointer<UInt8>) throws(HashSetError) -> Result
    ) throws(HashSetError) -> Result {
        lineNumber += 1
        var line = raw.bindMemory(to: UInt8.self)
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) {
            line = UnsafeBufferPointer(rebasing: line.dropFirst(3))
        }
        let result = try body(line)
        stream.consume(consumed)
        return result
    }

    /// A copy of the next line, or nil at the end of the file.
    func nextLine() throws(HashSetError) -> [UInt8]? {
        try withNextLine { line throws(HashSetError) in Array(line) }
    }

    /// The first line that is neither blank nor a `#` comment, or nil when there is none.
    func firstContentLine() throws(HashSetError) -> [UInt8]? {
        while let line = try nextLine() {
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            return line
        }
        return nil
    }

    /// SHA-256 of the whole file (reads what is left).
    func digest() throws(HashSetError) -> String {
        try stream.drain()
        return stream.digest()
    }

    /// An error at the current line.
    func error(_ reason: String) -> HashSetError {
        HashSetError(file: path, line: lineNumber, reason: reason)
    }
}
