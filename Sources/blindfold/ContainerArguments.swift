import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore
import Evidence
import Isolation
import Scanner

/// How `scan` and `triage` run container parsers (The Sleuth Kit, libarchive): in container workers by default,
/// so a parser's crash, hang or runaway allocation costs one container, never the scan.
struct ContainerArguments: ParsableArguments {
    @Option(name: .customLong("container-timeout"), help: ArgumentHelp("Seconds a container's parser may go without progress (no new member, member data or block of the container taken) before its worker is stopped and the container recorded 'limit'.", valueName: "s"))
    var containerTimeout: Double = 30

    @Flag(name: .customLong("containers-in-process"), help: "Parse archives and disk images inside the scanner instead of in worker processes (for benchmarks and trusted evidence: one hostile archive can then end the scan).")
    var inProcess = false

    func validate() throws {
        guard containerTimeout > 0 && containerTimeout <= 86_400 else {
            throw ValidationError("--container-timeout must be between 0 and 86400 seconds")
        }
    }

    /// The container formats of the run: disk images (The Sleuth Kit, read as `diskImages`
    /// says), then archives (libarchive), all behind container workers (each capped at
    /// `workerMemory` bytes of address space, stopped when `interrupt` is raised), or all
    /// in-process.
    func formats(
        workerMemory: Int, interrupt: InterruptFlag, diskImages: DiskImageArguments, mediaFirst: Bool
    ) -> [any ContainerFormat] {
        let diskImage = diskImages.format(mediaFirst: mediaFirst, interrupt: interrupt)
        guard !inProcess else { return [diskImage, ArchiveFormat(), EmbeddedArchiveFormat()] }
        let executable = SelfExecutable.current
        let arguments = ["--containers", "--worker-memory", String(workerMemory), "--parent", String(getpid())]
            + diskImages.workerArguments(mediaFirst: mediaFirst)
        let pool = ContainerWorkerPool(configuration: ContainerWorkerConfiguration(
            executable: executable.path, arguments: executable.argv("blindfold", ["worker"] + arguments),
            stallTimeout: containerTimeout, shouldStop: { interrupt.isRaised },
            stopReason: { interrupt.listingReason }))
        return [
            IsolatedContainerFormat(diskImage, id: "disk-image", pool: pool),
            IsolatedContainerFormat(ArchiveFormat(), id: "archive", pool: pool),
            IsolatedContainerFormat(EmbeddedArchiveFormat(), id: "embedded", pool: pool),
        ]
    }

    /// Sets the configuration's container formats and what the header says of them (for a
    /// triage, ``ScanConfiguration/triage`` set before: an image's media files come first).
    func apply(
        to configuration: inout ScanConfiguration, workerMemory: Int, interrupt: InterruptFlag,
        diskImages: DiskImageArguments
    ) {
        configuration.containerFormats = formats(
            workerMemory: workerMemory, interrupt: interrupt, diskImages: diskImages, mediaFirst: configuration.triage)
        configuration.containerWorkers = inProcess ? nil : containerTimeout
    }
}
