import ArgumentParser
import Evidence
import Scanner

/// How disk images are read (docs/DISK-IMAGES.md): carving of their unallocated space, on by
/// default in `scan` and `triage` after each image's files, and a triage's media-first order.
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

    /// Sets the carving of every disk-image format in the configuration, and for a triage
    /// (``ScanConfiguration/triage``, set before) each file system's media first; carving
    /// stops when `interrupt` is raised (a signal, or a triage's budget).
    func apply(to configuration: inout ScanConfiguration, interrupt: InterruptFlag) {
        let options = CarvingOptions(
            enabled: !noCarve, maxItemBytes: maxItemBytes, maxVideoBytes: maxVideoBytes,
            shouldStop: { interrupt.isRaised })
        configuration.containerFormats = configuration.containerFormats.map { (format: any ContainerFormat) -> any ContainerFormat in
            guard var image = format as? DiskImageFormat else { return format }
            image.carving = options
            image.mediaFirst = configuration.triage
            return image
        }
    }
}
