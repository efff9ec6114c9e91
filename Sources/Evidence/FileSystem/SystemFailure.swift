#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import SystemPackage

/// A failed system call: which one and the `errno` it set.
public struct SystemFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed (`open`, `read`, ...).
    public var operation: String
    /// The error number.
    public var code: Int32

    /// A failure from the call's name and its `errno`.
    public init(operation: String, errno code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// `open: Permission denied`.
    public var description: String { "\(operation): \(Errno(rawValue: code).description)" }

    /// The item status this failure means: gone (`ENOENT`, `ENOTDIR`) is `vanished`, the rest `unreadable`.
    public var itemStatus: ItemStatus {
        switch code {
        case ENOENT, ENOTDIR: .vanished
        default: .unreadable
        }
    }
}

extension PathBytes {
    /// Calls `body` with the bytes as a NUL-terminated C string.
    ///
    /// A path with an embedded NUL cannot name a file; the C string then ends at that NUL, and
    /// the system call fails or names another file, which the callers check with `fstat`.
    public func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        var terminated = bytes
        terminated.append(0)
        return try terminated.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { chars in
                // Never nil: the buffer holds at least the terminating NUL.
                try body(chars.baseAddress!)
            }
        }
    }
}
