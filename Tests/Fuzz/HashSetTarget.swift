import BlindfoldCore
import KnownHashes

#if canImport(Glibc)
import Glibc
#endif

/// The hash-set loader on the input written to a file (the loader reads paths, as the
/// command line gives it).
///
/// `hashset` lets the loader detect the format (the fuzzer then wanders between parsers);
/// `hashset-<format>` forces one parser, so each gets inputs its detection would refuse.
enum HashSetTarget {
    /// One scratch file per process, rewritten for every input.
    static let scratchPath = "/tmp/blindfold-fuzz-\(getpid()).set"

    /// `hashset` (format detected from the content) and any per-format targets.
    static let targets: [FuzzTarget] = [
        target("hashset", summary: "HashSetLoader.load with format detection") { path in
            _ = try? HashSetLoader.load(path: path, name: "fuzz", role: .knownBad)
        }
    ] + HashSetFormat.allCases.map { format in
        target("hashset-\(format.rawValue)", summary: "HashSetLoader.load as \(format.rawValue)") { path in
            _ = try? HashSetLoader.load(path: path, name: "fuzz", role: .knownBad, format: format)
        }
    }

    private static func target(
        _ name: String, summary: String, load: @escaping @Sendable (String) -> Void
    ) -> FuzzTarget {
        FuzzTarget(name: name, summary: summary) { bytes in
            guard write(bytes, to: scratchPath) else { return }
            load(scratchPath)
        }
    }

    /// Replaces the scratch file's content with `bytes`; false when the file cannot be written.
    private static func write(_ bytes: UnsafeRawBufferPointer, to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return false }
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
