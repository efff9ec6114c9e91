import ArgumentParser
import Evidence
import Foundation
import Isolation

/// `blindfold worker`: the decoder worker the scanner starts from its own binary. Not for
/// people: it says hello, then reads requests and answers on descriptor 3, its end of the
/// scanner's socket (Isolation/WireFormat.swift; standard input, output and error are `/dev/null`).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Internal: the decoder worker process a scan starts.",
        shouldDisplay: false
    )

    @OptionGroup var perceptual: PerceptualArguments

    @Option(name: .customLong("parent"), help: "The scanner's process id; the worker ends with it.")
    var parent: Int32?

    @Flag(name: .customLong("containers"), help: "Be a container worker (libarchive, The Sleuth Kit) instead of a decoder worker.")
    var containers = false

    @OptionGroup var diskImages: DiskImageArguments

    @Flag(name: .customLong("media-first"), help: "Container worker: list each file system's media files first (a triage).")
    var mediaFirst = false

    func run() throws {
        if containers {
            let faults = ProcessInfo.processInfo.environment["BLINDFOLD_WORKER_FAULTS"] == "1"
            throw ExitCode(ContainerWorkerLoop.run(
                formats: ["archive": ArchiveFormat(), "embedded": EmbeddedArchiveFormat(), "disk-image": diskImages.format(mediaFirst: mediaFirst, interrupt: nil)],
                memoryCap: perceptual.workerMemory, faultInjection: faults, parent: parent))
        }
        let plugins = PluginCatalog.workerPlugins(perceptual.selection)
        let faults = ProcessInfo.processInfo.environment["BLINDFOLD_WORKER_FAULTS"] == "1"
        let code = WorkerLoop.run(plugins: plugins, memoryCap: perceptual.workerMemory, faultInjection: faults, parent: parent)
        throw ExitCode(code)
    }
}
