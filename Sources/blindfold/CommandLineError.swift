import BlindfoldCore
#if canImport(Glibc)
import Glibc
#endif

/// A bad invocation or unusable input: one line on stderr, exit code 2, nothing written.
struct CommandLineError: Error, CustomStringConvertible {
    /// The documented exit code for bad invocations.
    static let exitCode: Int32 = 2

    /// What is wrong and, where it helps, what to do.
    var message: String

    init(_ message: String) { self.message = message }

    var description: String { message }

    /// Prints `blindfold: error: MESSAGE` on stderr.
    static func report(_ message: String) {
        let line = "blindfold: error: \(TerminalText.escaping(message))\n"
        StandardError.write(line)
    }
}
