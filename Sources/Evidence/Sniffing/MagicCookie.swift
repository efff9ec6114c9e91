import CMagic

/// One libmagic handle. libmagic is not thread-safe: each worker makes its own cookie and never
/// shares it, which is why this type is not `Sendable`.
public final class MagicCookie {
    private let cookie: OpaquePointer

    /// Opens libmagic with `flags` and loads the compiled database ``MagicDatabase/current``
    /// names (a portable release's own copy, else the system's).
    public init(flags: Int32) throws(MagicError) {
        guard let cookie = magic_open(flags) else { throw MagicError(message: "magic_open failed") }
        guard magic_load(cookie, MagicDatabase.current.loadPath) == 0 else {
            let message = magic_error(cookie).map { String(cString: $0) } ?? "magic_load failed"
            magic_close(cookie)
            throw MagicError(message: "the libmagic database could not be loaded: \(message)")
        }
        self.cookie = cookie
    }

    deinit { magic_close(cookie) }

    /// Sets one of libmagic's size limits (`MAGIC_PARAM_REGEX_MAX`, `MAGIC_PARAM_ENCODING_MAX`, ...).
    public func setParameter(_ parameter: Int32, to value: Int) {
        var size = value
        _ = magic_setparam(cookie, parameter, &size)
    }

    /// Changes the flags for the following calls.
    public func setFlags(_ flags: Int32) { _ = magic_setflags(cookie, flags) }

    /// libmagic's answer for `bytes` under the current flags, or nil when it has none.
    public func identify(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let answer = magic_buffer(cookie, bytes.baseAddress, bytes.count) else { return nil }
        return String(cString: answer)
    }

    /// The version of the linked libmagic (`544` for 5.44).
    public static var libraryVersion: Int { Int(magic_version()) }
}

/// libmagic could not be set up.
public struct MagicError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// An error with `message`.
    public init(message: String) { self.message = message }

    public var description: String { message }
}
