import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

CrashReportGuard.ensureQuiet()

// `blindfold --version` prints what `blindfold version` does (library versions and the magic
// database included), not only the version number.
if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
    print(VersionCommand.textReport())
    Glibc.exit(0)
}

// Argument errors exit with 2 (the documented "bad invocation" code) and one line on stderr,
// not with swift-argument-parser's default 64 and a usage block.
do {
    var command = try BlindfoldCommand.parseAsRoot()
    try command.run()
} catch let exit as ExitCode {
    Glibc.exit(exit.rawValue)
} catch {
    let code = BlindfoldCommand.exitCode(for: error)
    if code == .success {
        BlindfoldCommand.exit(withError: error)  // --help, --version
    }
    let message = BlindfoldCommand.message(for: error)
        .split(separator: "\n").first.map(String.init) ?? "invalid invocation"
    CommandLineError.report(message)
    Glibc.exit(CommandLineError.exitCode)
}
