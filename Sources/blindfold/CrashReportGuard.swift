import BlindfoldCore
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the Swift runtime's crash reporter quiet.
///
/// On a crash the runtime's backtracer prints every register and the bytes each one points at:
/// on a scanner that could be a file's content. It reads `SWIFT_BACKTRACE` only when the
/// process starts, so the first thing `blindfold` does is start itself again with
/// `SWIFT_BACKTRACE=enable=no` unless the variable is already set (by that restart, or by a
/// developer who wants backtraces). A crash then ends the process with its signal and nothing
/// else on the terminal.
enum CrashReportGuard {
    static let variable = "SWIFT_BACKTRACE"

    /// Restarts the process with the reporter disabled (through the dynamic loader again when
    /// it was started that way: ``SelfExecutable``); returns only when that is not needed
    /// (or the restart failed, in which case the scan goes on with the runtime's default).
    static func ensureQuiet() {
        guard getenv(variable) == nil else { return }
        setenv(variable, "enable=no", 1)
        let executable = SelfExecutable.current
        let given = CommandLine.arguments
        let argv = executable.argv(given.first ?? "blindfold", Array(given.dropFirst()))
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        _ = execv(executable.path, arguments)
    }
}
