import ArgumentParser
import Evidence
import Scanner

/// How disk images are read (docs/DISK-IMAGES.md): carving of their unallocated space, on by
/// default in `scan` and `triage` after each image's files, and a triage's media-first order.
///
/// The same options are given to container workers (``workerArguments(mediaFirst:)``), which
/// run The Sleuth Kit and the carver unless `--containers-in-process` is given.
struct DiskImageArguments: ParsableArguments {
    @Flag(name: .customLong("no-carve"), help: "Do not carve pictures and videos from disk images' unallocated space.")
    var noCarve = false

    @Option(name: .customLong("carve-max-bytes"), help: ArgumentHelp("Largest picture carved; a larger one is recorded 'limit' at its offset, not read.", valueName: "n"))
    var maxItemBytes: Int64 = CarvingOptions.defaultMaxItemBytes

    @Option(name: .customLong("carve-max-video-bytes"), help: ArgumentHelp("Largest video (MP4/MOV) carved.", valueName: "n"))
    var maxVideoBytes: Int64 = CarvingOptions.defaultMaxVideoBytes

    func validate() throws {
        guard maxItemBytes >= 1 else { throw ValidationError("--carve-max-bytes must be at least 1") }
        guard maxVideoBytes >= 1 else { throw ValidationError("--carve-max-video-bytes must be at least 1") }
    }

    /// The disk-image format these options describe: carving stops when `interrupt` is raised
    /// (a signal, or a triage's budget); each file system's media files come first when
    /// `mediaFirst` (a triage).
    func format(mediaFirst: Bool, interrupt: InterruptFlag?) -> DiskImageFormat {
        let options = CarvingOptions(
            enabled: !noCarve, maxItemBytes: maxItemBytes, maxVideoBytes: maxVideoBytes,
            shouldStop: { interrupt?.isRaised ?? false })
        return DiskImageFormat(carving: options, mediaFirst: mediaFirst)
    }

    /// The same options on a container worker's command line (a worker is stopped by its
    /// scanner, so it needs no interrupt flag of its own).
    func workerArguments(mediaFirst: Bool) -> [String] {
        var arguments = noCarve ? ["--no-carve"] : []
        arguments += ["--carve-max-bytes", String(maxItemBytes), "--carve-max-video-bytes", String(maxVideoBytes)]
        if mediaFirst { arguments.append("--media-first") }
        return arguments
    }
}
