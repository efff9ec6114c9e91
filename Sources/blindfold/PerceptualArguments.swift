import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import BlindfoldCore
import Isolation
import PDQ
import Signals
import VPDQ

/// The perceptual-hashing options `scan` and `triage` share: which image plugins run, how,
/// and how their hashes are matched.
struct PerceptualArguments: ParsableArguments {
    @Option(name: .customLong("pdq-distance"), help: ArgumentHelp("Largest Hamming distance (of 256 bits) that counts as a PDQ match.", valueName: "bits"))
    var pdqDistance: Int = PDQMatchPolicy.standard.maxDistance

    @Option(name: .customLong("pdq-quality"), help: ArgumentHelp("Images whose PDQ quality is below this are hashed but never matched.", valueName: "0-100"))
    var pdqQuality: Int = PDQMatchPolicy.standard.qualityFloor

    // PDQ's own options: flag, help and default are PDQ's declarations (`PDQPlugin.Option`).
    @Flag(name: .customLong(PDQPlugin.Option.dihedral.flag), help: ArgumentHelp(PDQPlugin.Option.dihedral.help))
    var pdqDihedral = PDQPlugin.Option.dihedral.defaultValue == .bool(true)

    @Flag(name: .customLong(PDQPlugin.Option.fast.flag), help: ArgumentHelp(PDQPlugin.Option.fast.help))
    var pdqFast = PDQPlugin.Option.fast.defaultValue == .bool(true)

    @Flag(name: .customLong("phash"), help: "Also compute ImageHash's 64-bit pHash of every image (decodes JPEGs in full colour).")
    var phash = false

    @Flag(name: .customLong("no-pdq"), help: "Do not compute PDQ hashes.")
    var noPDQ = false

    // vPDQ (videos): the interval is the plugin's declaration (`VPDQPlugin.Option`).
    @Option(name: .customLong(VPDQPlugin.Option.interval.flag), help: ArgumentHelp(VPDQPlugin.Option.interval.help, valueName: "s"))
    var vpdqInterval: Int = 1

    @Option(name: .customLong("vpdq-query-match"), help: ArgumentHelp("A video matches a listed video when at least this share of its frames (percent) are within the distance of the listed video's frames.", valueName: "percent"))
    var vpdqQueryMatch: Double = VPDQComparison.standard.queryMatchPercent

    @Option(name: .customLong("vpdq-compared-match"), help: ArgumentHelp("... and at least this share of the listed video's frames (percent) match the video's.", valueName: "percent"))
    var vpdqComparedMatch: Double = VPDQComparison.standard.comparedMatchPercent

    @Option(name: .customLong(VPDQPlugin.Option.memoryBytes.flag), help: ArgumentHelp(VPDQPlugin.Option.memoryBytes.help, valueName: "bytes"))
    var vpdqMemoryBytes: Int = Int(HashPluginDescriptor.standardWholeItemCap)

    @Option(name: .customLong(VPDQPlugin.Option.firstSeconds.flag), help: ArgumentHelp(VPDQPlugin.Option.firstSeconds.help, valueName: "s"))
    var vpdqFirstSeconds: Int = 30

    @Flag(name: .customLong("no-vpdq"), help: "Do not decode videos for vPDQ hashes.")
    var noVPDQ = false

    @Option(name: .customLong("image-pixels"), help: ArgumentHelp("Images declaring more pixels than this are recorded as 'limit' without being decoded.", valueName: "n"))
    var imagePixels: Int = ScanLimits().imagePixels

    @Flag(inversion: .prefixedNo, help: "Skip the perceptual plugins' decode for items a known-good set matched exactly.")
    var skipKnownGood = true

    @Flag(name: .customLong("in-process"), help: "Decode images inside the scanner instead of in worker processes (faster; for evidence you trust).")
    var inProcess = false

    @Option(name: .customLong("item-timeout"), help: ArgumentHelp("Seconds a decoder worker may spend on one item before it is stopped.", valueName: "s"))
    var itemTimeout: Double = 30

    @Option(name: .customLong("worker-memory"), help: ArgumentHelp("Address-space cap of each decoder and container worker, in bytes.", valueName: "bytes"))
    var workerMemory: Int = 4 << 30

    func validate() throws {
        guard (0...256).contains(pdqDistance) else { throw ValidationError("--pdq-distance must be between 0 and 256") }
        guard (0...100).contains(pdqQuality) else { throw ValidationError("--pdq-quality must be between 0 and 100") }
        guard (0...86_400).contains(vpdqInterval) else { throw ValidationError("--vpdq-interval must be between 0 and 86400 seconds") }
        guard (0...100).contains(vpdqQueryMatch), (0...100).contains(vpdqComparedMatch) else {
            throw ValidationError("--vpdq-query-match and --vpdq-compared-match must be between 0 and 100")
        }
        guard vpdqMemoryBytes > 0 else { throw ValidationError("--vpdq-memory-bytes must be positive") }
        guard (1...86_400).contains(vpdqFirstSeconds) else { throw ValidationError("--vpdq-first-seconds must be between 1 and 86400") }
        guard imagePixels > 0 else { throw ValidationError("--image-pixels must be positive") }
        guard itemTimeout > 0 && itemTimeout <= 86_400 else { throw ValidationError("--item-timeout must be between 0 and 86400 seconds") }
        guard workerMemory >= 256 << 20 else { throw ValidationError("--worker-memory must be at least 268435456 (256 MiB)") }
    }

    /// The matching thresholds for PDQ sets.
    var policy: PDQMatchPolicy {
        PDQMatchPolicy(maxDistance: pdqDistance, qualityFloor: pdqQuality, dihedral: pdqDihedral)
    }

    /// The matching thresholds for vPDQ sets (frame distance and quality floor as the reference's).
    var vpdqPolicy: VPDQComparison {
        VPDQComparison(maxDistance: VPDQComparison.standard.maxDistance, qualityFloor: VPDQComparison.standard.qualityFloor,
                       queryMatchPercent: vpdqQueryMatch, comparedMatchPercent: vpdqComparedMatch)
    }

    /// The signals of the run, PDQ under these thresholds.
    var signals: SignalCatalog {
        get throws {
            do {
                return try SignalCatalog.builtIn.replacing(PDQSignal(policy: policy)).replacing(VPDQSignal(policy: vpdqPolicy))
            } catch {
                throw CommandLineError("signal catalog: \(error)")
            }
        }
    }

    /// The options a decoder worker is started with: every whole-item plugin's non-default
    /// options, generated from the options it declares, so the worker builds the same plugins.
    var workerArguments: [String] {
        ["blindfold", "worker", "--image-pixels", String(imagePixels), "--worker-memory", String(workerMemory),
         "--parent", String(getpid())]
            + PluginCatalog.workerPlugins(selection).flatMap(\.descriptor.optionArguments)
    }

    /// Decoder workers for these options, or nil with `--in-process`.
    var workerPool: WorkerPool? {
        guard !inProcess else { return nil }
        // From this binary wherever it lies, through the loader again when started that way.
        let executable = SelfExecutable.current
        let arguments = executable.argv(workerArguments[0], Array(workerArguments.dropFirst()))
        return WorkerPool(configuration: WorkerPoolConfiguration(
            executable: executable.path, arguments: arguments, itemTimeout: itemTimeout))
    }

    /// The plugin options these arguments describe.
    var selection: PluginCatalog.Selection {
        PluginCatalog.Selection(
            pdq: noPDQ ? nil : PDQOptions(dihedral: pdqDihedral, fast: pdqFast, maxPixels: imagePixels),
            phash: phash, maxPixels: imagePixels, vpdqInterval: noVPDQ ? nil : vpdqInterval, vpdqMemoryBytes: vpdqMemoryBytes,
            vpdqFirstSeconds: vpdqFirstSeconds)
    }
}
