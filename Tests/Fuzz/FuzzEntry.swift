#if canImport(Glibc)
import Glibc
#endif

#if FUZZING
/// The target `BLINDFOLD_FUZZ_TARGET` names, resolved once per process.
private let selectedTarget: FuzzTarget? = {
    guard let name = getenv("BLINDFOLD_FUZZ_TARGET").map({ String(cString: $0) }) else { return nil }
    return FuzzTarget.named(name)
}()

/// libFuzzer's driver (in the runtime `-sanitize=fuzzer` links).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The process entry point. SwiftPM links every executable with `main` aliased to
/// `<module>_main` (`--defsym`), so this, not libFuzzer's own `main`, starts the process: it
/// refuses to start without a valid target, then hands over to libFuzzer's driver.
@_cdecl("BlindfoldFuzz_main")
public func fuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    guard selectedTarget != nil else {
        FuzzUsage.printToStandardError()
        return 2
    }
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        guard let target = selectedTarget else { return 0 }
        target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
        return 0
    }
}
#else
/// Without `-DFUZZING` the executable only says how to build the real thing.
@main
enum BlindfoldFuzz {
    static func main() {
        FuzzUsage.printToStandardError()
        exit(1)
    }
}
#endif

/// The text shown when the fuzzer is started wrongly.
enum FuzzUsage {
    /// Writes the usage to standard error.
    static func printToStandardError() {
        var text = """
            BlindfoldFuzz: libFuzzer targets for Blindfold's parsers and decoders.
            Build and run with `make fuzz` (see docs/FUZZING.md), or by hand:
              swift build -c release --scratch-path .build-fuzz --product BlindfoldFuzz \\
                -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING
              BLINDFOLD_FUZZ_TARGET=<target> .build-fuzz/release/BlindfoldFuzz <corpus dir> [libFuzzer flags]
            Targets:

            """
        for target in FuzzTarget.all { text += "  \(target.name): \(target.summary)\n" }
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            guard written > 0 else { return }
            remaining = remaining.dropFirst(written)
        }
    }
}
