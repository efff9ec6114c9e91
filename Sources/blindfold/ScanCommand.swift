import ArgumentParser
import BlindfoldCore
import Evidence
import ExternalPlugins
import KnownHashes
import Logging
import Manifest
import Scanner
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `blindfold scan`: walk, sniff, hash, match, write the manifest.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan folders, disk images or files and write a manifest of every item.",
        discussion: """
            Every item under each ROOT is opened read-only and read once: libmagic identifies its \
            type from its first bytes, every plugin hashes it, and its digests are matched \
            against the known-bad and known-good sets. DIR/manifest.jsonl gets one line per \
            item (names, types, hashes, matches, status); DIR/manifest.jsonl.sha256 its digest. \
            The terminal shows counts only.

            Symbolic links are recorded, never followed; FIFOs, sockets and devices are recorded, \
            never opened. Hash sets may be .bfhs indexes ('blindfold hashset import'), NSRL RDS \
            databases or NSRLFile.txt, Project VIC VICS or CAID JSON, hashdeep files, \
            md5sum/sha1sum/sha256sum lists or PDQ lists; the format is detected from the \
            content. A set with a malformed line is refused. Images get PDQ hashes, decoded in \
            worker processes, matched against PDQ entries within --pdq-distance.
            """
    )

    @Argument(help: ArgumentHelp("Folders, mounted images or files to scan.", valueName: "root"))
    var roots: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output directory (created if missing; must be outside every root).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Finish the interrupted scan whose output directory is DIR, with its original options, without re-reading what it recorded.", valueName: "dir"))
    var resume: String?

    @Option(name: .customLong("known-bad"), help: ArgumentHelp("A known-bad hash set (repeatable).", valueName: "set"))
    var knownBad: [String] = []

    @Option(name: .customLong("known-good"), help: ArgumentHelp("A known-good hash set (repeatable).", valueName: "set"))
    var knownGood: [String] = []

    @Option(name: .customLong("vics-alert"), help: ArgumentHelp("VICS/CAID categories that alert, comma-separated ('uncategorised' for none); every category is matched and recorded. Default: 1 (an index: the categories it was imported with).", valueName: "categories"))
    var vicsAlert: String?

    @Option(name: .long, help: ArgumentHelp("Worker threads that read and hash (default: number of cores).", valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("io-jobs"), help: ArgumentHelp("Reads in flight at once (default: number of cores; use 1 for a spinning disk or USB stick).", valueName: "n"))
    var ioJobs: Int?

    @Option(name: .long, help: ArgumentHelp("Skip items whose root-relative path or name matches GLOB (repeatable); they are recorded as 'skipped'.", valueName: "glob"))
    var exclude: [String] = []

    @Flag(name: .customLong("cross-filesystems"), help: "Enter directories on other file systems than their root.")
    var crossFilesystems = false

    @Flag(name: .customLong("no-archives"), help: "Do not open archives and compressed streams (they are still hashed as files).")
    var noArchives = false

    @Option(name: .customLong("archive-depth"), help: ArgumentHelp("How deep archives may nest inside archives.", valueName: "n"))
    var archiveDepth: Int = ScanLimits().archiveDepth

    @Option(name: .customLong("expansion-ratio"), help: ArgumentHelp("Bytes an archive may produce, as a multiple of its own size.", valueName: "x"))
    var expansionRatio: Int = ScanLimits().expansionRatio

    @Option(name: .customLong("expansion-bytes"), help: ArgumentHelp("Bytes an archive may produce in all (with its nested archives).", valueName: "n"))
    var expansionBytes: Int64 = ScanLimits().expansionBytes

    @Option(name: .customLong("expansion-ratio-floor"), help: ArgumentHelp("Bytes an archive may produce before --expansion-ratio applies.", valueName: "n"))
    var expansionRatioFloor: Int64 = ScanLimits().expansionRatioFloor

    @Option(name: .customLong("member-name-bytes"), help: ArgumentHelp("Longest member name recorded; longer ones are cut, with a note.", valueName: "n"))
    var memberNameBytes: Int = ScanLimits().memberNameBytes

    @Option(name: .customLong("archive-entries"), help: ArgumentHelp("Members one archive may list.", valueName: "n"))
    var archiveEntries: Int = ScanLimits().entriesPerArchive

    @Option(name: .customLong("seekable-archive-bytes"), help: ArgumentHelp("Largest 7-Zip archive held in memory to be expanded (7-Zip needs random access).", valueName: "n"))
    var seekableArchiveBytes: Int64 = ScanLimits().seekableArchiveBytes

    @OptionGroup(title: "Perceptual hashing")
    var perceptual: PerceptualArguments

    @OptionGroup(title: "Container parsers")
    var containers: ContainerArguments
    @OptionGroup(title: "Disk images")
    var diskImages: DiskImageArguments

    @OptionGroup(title: "External plugins")
    var external: ExternalPluginArguments

    @Option(name: .long, help: ArgumentHelp("Plugins to run, comma-separated (default: all; see 'blindfold plugins').", valueName: "ids"))
    var plugins: String?

    @Flag(name: .customLong("no-sniff"), help: "Do not identify types with libmagic (no mime, description or extension check).")
    var noSniff = false

    @Option(name: .customLong("sniff-bytes"), help: ArgumentHelp("How many leading bytes libmagic sees.", valueName: "n"))
    var sniffBytes: Int = 64 << 10

    @Option(name: .customLong("sniff-profile"), help: ArgumentHelp("standard (fast, same answers on typical evidence), full (libmagic's defaults, what 'file' says) or binary-only (no text tests: text is reported as data).", valueName: "profile"))
    var sniffProfile: SniffOptions.Profile = .standard

    @Flag(name: .long, help: "Replace a manifest already in the output directory.")
    var overwrite = false

    @Option(name: .customLong("export"), help: ArgumentHelp("Also export the manifest into DIR at the end: csv, dfxml, vics or case (repeatable).", valueName: "format"))
    var exports: [ExportCommand.Format] = []

    @Option(name: .long, help: ArgumentHelp("Progress on stderr: auto (one line, when stderr is a terminal), json (a JSON line twice a second) or off.", valueName: "mode"))
    var progress: ProgressMode = .auto

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String = "warning"

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Append log lines to FILE instead of stderr (outside every root).", valueName: "file"))
    var logFile: String?

    @Option(name: .long, help: ArgumentHelp("Scan only shard I of N (I from 0, as SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX); every shard splits the same listing alike, and 'blindfold merge' joins their folders into one scan's manifest. See docs/SCALE-OUT.md.", valueName: "I/N"))
    var shard: String?

    @Option(name: .customLong("checkpoint-bytes"), help: ArgumentHelp("Manifest bytes held in memory before they are synced and journaled for --resume.", valueName: "n"))
    var checkpointBytes: Int = 1 << 20

    func validate() throws {
        if resume != nil {
            guard roots.isEmpty, out == nil else {
                throw ValidationError("--resume takes no roots and no --out: the interrupted scan's are used")
            }
            return
        }
        if roots.isEmpty { throw ValidationError("give at least one root to scan") }
        if out == nil { throw ValidationError("--out DIR is required") }
        if checkpointBytes < 1 { throw ValidationError("--checkpoint-bytes must be at least 1") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let ioJobs, ioJobs < 1 { throw ValidationError("--io-jobs must be at least 1") }
        if sniffBytes < 16 { throw ValidationError("--sniff-bytes must be at least 16") }
        if archiveDepth < 0 { throw ValidationError("--archive-depth must be 0 or more") }
        if expansionRatio < 1 { throw ValidationError("--expansion-ratio must be at least 1") }
        if expansionBytes < 1 { throw ValidationError("--expansion-bytes must be at least 1") }
        if expansionRatioFloor < 0 { throw ValidationError("--expansion-ratio-floor must be 0 or more") }
        if memberNameBytes < 1 { throw ValidationError("--member-name-bytes must be at least 1") }
        if archiveEntries < 1 { throw ValidationError("--archive-entries must be at least 1") }
        if seekableArchiveBytes < 0 { throw ValidationError("--seekable-archive-bytes must be 0 or more") }
        if let shard { _ = try ShardArguments.spec(shard) }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level '\(logLevel)' is not a log level") }
    }

    func run() throws {
        if let resume {
            let invocation = try ScanInvocation.load(from: resume)
            guard chdir(invocation.workingDirectory) == 0 else {
                throw CommandLineError("--resume: the scan's working folder '\(invocation.workingDirectory)' is gone")
            }
            let original: ScanCommand
            do {
                original = try ScanCommand.parse(invocation.arguments)
            } catch {
                throw CommandLineError("--resume: the recorded invocation no longer parses (\(ScanCommand.message(for: error)))")
            }
            try original.execute(resuming: true)
        } else {
            try execute(resuming: false)
        }
    }

    /// Runs the scan this command describes; `resuming` continues the one in its output folder.
    private func execute(resuming: Bool) throws {
        // Everything is checked before anything is created: a bad invocation writes nothing.
        let rootPaths = try roots.map(CanonicalPath.existing)
        let output = try OutputDirectory.check(out ?? "", roots: rootPaths, overwrite: overwrite, resuming: resuming)
        let logTarget = try logFile.map { try LogFile.check($0, roots: rootPaths) }
        let sets = try HashSetArguments.load(
            knownBad: knownBad, knownGood: knownGood,
            vicsAlert: HashSetArguments.alertCategories(vicsAlert), pdqPolicy: perceptual.policy,
            vpdqPolicy: perceptual.vpdqPolicy)
        var registry = try PluginCatalog.registry(perceptual.selection, workers: perceptual.workerPool)
        if let plugins {
            let ids = plugins.split(separator: ",").map { $0.trimmingCharacters() }
            do { registry = try registry.selecting(ids) } catch { throw CommandLineError("--plugins: \(error)") }
        }
        // Raised by SIGINT/SIGTERM (and a triage's budget); external plugins' waits end with it.
        let interrupt = InterruptFlag()
        let externals = try external.load(
            besides: registry, itemTimeout: perceptual.itemTimeout, memoryCap: perceptual.workerMemory,
            shouldStop: { interrupt.isRaised })
        if !externals.isEmpty { registry = try PluginCatalog.adding(externals, to: registry) }

        let level = Logger.Level(rawValue: logLevel) ?? .warning
        let logSink = try logTarget.map { try LogFile(path: $0) }
        LoggingSystem.bootstrap { label in
            if let logSink {
                var handler = FileLogHandler(label: label, file: logSink)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "blindfold.scan")

        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        var configuration = ScanConfiguration(
            roots: rootPaths, outputDirectory: output.path, registry: registry, matcher: HashMatcher(sets: sets),
            jobs: jobs ?? cores, toolVersion: BlindfoldCommand.version)
        configuration.ioJobs = max(1, ioJobs ?? cores)
        configuration.walkOptions = FileSystemWalker.Options(excludes: exclude, crossFilesystems: crossFilesystems)
        configuration.expandArchives = !noArchives
        configuration.limits.archiveDepth = archiveDepth
        configuration.limits.expansionRatio = expansionRatio
        configuration.limits.expansionBytes = expansionBytes
        configuration.limits.entriesPerArchive = archiveEntries
        configuration.limits.expansionRatioFloor = expansionRatioFloor
        configuration.limits.memberNameBytes = memberNameBytes
        configuration.limits.seekableArchiveBytes = seekableArchiveBytes
        configuration.sniffOptions = noSniff ? nil : SniffOptions(headBytes: sniffBytes, profile: sniffProfile)
        configuration.checkpointBytes = checkpointBytes
        configuration.limits.imagePixels = perceptual.imagePixels
        configuration.signals = try perceptual.signals
        configuration.skipPerceptualForKnownGood = perceptual.skipKnownGood
        configuration.decoderWorkers = perceptual.inProcess ? nil : perceptual.itemTimeout
        containers.apply(to: &configuration, workerMemory: perceptual.workerMemory, interrupt: interrupt, diskImages: diskImages)

        configuration.shard = try ShardArguments.plan(
            shard, roots: rootPaths, options: configuration.walkOptions, resumingIn: resuming ? output.path : nil)

        try output.create()
        for plugin in externals { plugin.host.setWorkParent(ExternalPluginArguments.workFolder(in: output.path)) }
        defer { ExternalPluginArguments.shutdown(externals, output: output.path) }
        var resumePoint: ResumePoint?
        // A scan killed before its first checkpoint left its invocation but no journal: nothing
        // was recorded, so resuming it means running it from the start.
        if resuming, ScanJournal.lastCheckpoint(in: output.path) != nil {
            try ExternalPluginArguments.checkResume(in: output.path, plugins: configuration.headerPlugins)
            do {
                // The evidence the earlier run recorded must be the same before it is skipped.
                try ResumeEvidenceCheck.verify(
                    directory: output.path, roots: rootPaths, options: configuration.walkOptions, shard: configuration.shard)
                resumePoint = try ScanResume.prepare(directory: output.path, started: Timestamp.now())
            } catch {
                throw CommandLineError("--resume: \(error)")
            }
        } else if !resuming {
            try ScanInvocation(
                workingDirectory: FileManager.default.currentDirectoryPath,
                arguments: Array(CommandLine.arguments.dropFirst(2))
            ).save(in: output.path)
        }
        let outcome = try ScanRun.run(
            configuration, logger: logger, progress: progress, resume: resumePoint, interrupt: interrupt)
        if outcome.complete { ScanInvocation.remove(from: output.path) }

        print(TerminalSummary(outcome: outcome, manifestPath: output.path + "/" + ManifestWriter.fileName).text)
        for line in ExternalPluginArguments.summaryLines(externals) { print(line) }
        if outcome.manifestSHA256 != nil {
            let manifestPath = output.path + "/" + ManifestWriter.fileName
            for format in exports {
                let suffix = format == .vics ? "vics.json" : format == .caseUCO ? "case.jsonld" : format.rawValue
                try ExportCommand.export(manifestPath, as: format, to: output.path + "/manifest." + suffix)
            }
        }
        if let error = outcome.outputError {
            CommandLineError.report("the manifest could not be written: \(error)")
        }
        if !outcome.complete {
            CommandLineError.report("the scan is incomplete; finish it with: blindfold scan --resume \(output.path)")
            throw ExitCode(3)
        }
        if outcome.summary.knownBadItems > 0 { throw ExitCode(1) }
    }
}

/// When to draw the progress line.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto
    case json
    case off
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

extension SniffOptions.Profile: ExpressibleByArgument {}
