import ArgumentParser
import BlindfoldCore
import Evidence
import ExternalPlugins
import Foundation
import KnownHashes
import Logging
import Manifest
import Scanner

#if canImport(Glibc)
import Glibc
#endif

/// `blindfold triage`: a time-budgeted, media-first preview for officers on scene.
struct TriageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Look for known-bad material in minutes: media first, within a time budget.",
        discussion: """
            Reads pictures, videos and archives first (by name or first bytes), other files next, \
            operating-system and program folders last, while the walk is still going on. Stops \
            when the budget runs out and says how much was covered. The screen shows counts \
            only (hit paths with --show-paths); the manifest goes to --out, which should be the \
            officer's own drive.

            Exit codes: 0 everything examined, no known-bad match; 1 at least one known-bad \
            match (whether or not the budget ran out); 2 bad invocation; 3 the budget or an \
            interruption cut the triage short without a match.

            Triage does not shard: it is a single-laptop tool. Split a lab scan over a cluster \
            with 'blindfold scan --shard I/N' and 'blindfold merge'.
            """
    )

    @Argument(help: ArgumentHelp("Folders, drives or files to look through.", valueName: "root"))
    var roots: [String]

    @Option(name: .long, help: ArgumentHelp("Output directory for the manifest (outside every root).", valueName: "dir"))
    var out: String

    @Option(name: .customLong("known-bad"), help: ArgumentHelp("A known-bad hash set (repeatable, at least one).", valueName: "set"))
    var knownBad: [String] = []

    @Option(name: .customLong("known-good"), help: ArgumentHelp("A known-good hash set (repeatable).", valueName: "set"))
    var knownGood: [String] = []

    @Option(name: .customLong("vics-alert"), help: ArgumentHelp("VICS/CAID categories that alert, comma-separated; every category is matched. Default: 1 (an index: its import setting).", valueName: "categories"))
    var vicsAlert: String?

    @Option(name: .long, help: ArgumentHelp("Time budget: 90s, 10m, 1h (default 10m).", valueName: "time"))
    var budget: TimeBudget = TimeBudget(seconds: 600)

    @Flag(name: .customLong("show-paths"), help: "Also print the paths of known-bad hits (default: counts only).")
    var showPaths = false

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: number of cores).", valueName: "n"))
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Progress on stderr: auto, json or off.", valueName: "mode"))
    var progress: ProgressMode = .auto

    @Flag(name: .long, help: "Replace a manifest already in the output directory.")
    var overwrite = false

    @OptionGroup(title: "Perceptual hashing")
    var perceptual: PerceptualArguments

    @OptionGroup(title: "Container parsers")
    var containers: ContainerArguments
    @OptionGroup(title: "Disk images")
    var diskImages: DiskImageArguments

    @OptionGroup(title: "External plugins")
    var external: ExternalPluginArguments

    /// Refused: triage is a single-laptop tool (present only to say so in one line).
    @Option(name: .long, help: .hidden)
    var shard: String?

    func validate() throws {
        if shard != nil {
            throw ValidationError("triage does not shard (it is a single-laptop tool): split a lab scan with 'blindfold scan --shard I/N' and 'blindfold merge'")
        }
        if knownBad.isEmpty { throw ValidationError("give at least one --known-bad set: triage looks for known material") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        let rootPaths = try roots.map(CanonicalPath.existing)
        let output = try OutputDirectory.check(out, roots: rootPaths, overwrite: overwrite)
        let sets = try HashSetArguments.load(
            knownBad: knownBad, knownGood: knownGood,
            vicsAlert: HashSetArguments.alertCategories(vicsAlert), pdqPolicy: perceptual.policy,
            vpdqPolicy: perceptual.vpdqPolicy)
        var registry = try PluginCatalog.registry(perceptual.selection, workers: perceptual.workerPool)
        // Raised by SIGINT/SIGTERM (and a triage's budget); external plugins' waits end with it.
        let interrupt = InterruptFlag()
        let externals = try external.load(
            besides: registry, itemTimeout: perceptual.itemTimeout, memoryCap: perceptual.workerMemory,
            shouldStop: { interrupt.isRaised })
        if !externals.isEmpty { registry = try PluginCatalog.adding(externals, to: registry) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var configuration = ScanConfiguration(
            roots: rootPaths, outputDirectory: output.path, registry: registry, matcher: HashMatcher(sets: sets),
            jobs: jobs ?? cores, toolVersion: BlindfoldCommand.version)
        configuration.triage = true
        configuration.limits.imagePixels = perceptual.imagePixels
        configuration.signals = try perceptual.signals
        configuration.skipPerceptualForKnownGood = perceptual.skipKnownGood
        configuration.decoderWorkers = perceptual.inProcess ? nil : perceptual.itemTimeout
        configuration.budgetSeconds = budget.seconds
        containers.apply(to: &configuration, workerMemory: perceptual.workerMemory, interrupt: interrupt, diskImages: diskImages)

        try output.create()
        for plugin in externals { plugin.host.setWorkParent(ExternalPluginArguments.workFolder(in: output.path)) }
        defer { ExternalPluginArguments.shutdown(externals, output: output.path) }
        if output.sharesDevice(withAnyOf: rootPaths) {
            StandardError.write(
                "blindfold: warning: --out is on the same device as a scanned root; on a live system write to your own drive\n")
        }
        let outcome = try ScanRun.run(
            configuration, logger: Logger(label: "blindfold.triage"), progress: progress, interrupt: interrupt)

        let manifestPath = output.path + "/" + ManifestWriter.fileName
        let hits = showPaths ? TriageVerdict.knownBadPaths(in: manifestPath) : []
        let badNames = Set(sets.filter { $0.info.role == .knownBad }.map(\.info.name))
        print(TriageVerdict(
            outcome: outcome, budget: budget, manifestPath: manifestPath, hits: hits, knownBadSets: badNames).text)
        for line in ExternalPluginArguments.summaryLines(externals) { print(line) }
        if outcome.summary.knownBadItems > 0 { throw ExitCode(1) }
        if !outcome.complete { throw ExitCode(3) }
    }
}

/// A duration given as `90s`, `10m`, `1h` or plain seconds.
struct TimeBudget: ExpressibleByArgument, CustomStringConvertible {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var text = argument
        var scale = 1.0
        if let last = text.last, let unit = units[last] {
            scale = unit
            text.removeLast()
        }
        guard let value = Double(text), value > 0, value.isFinite else { return nil }
        seconds = value * scale
    }

    var description: String {
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return "\(seconds.formatted())s"
    }
}

extension Double {
    fileprivate func formatted() -> String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
