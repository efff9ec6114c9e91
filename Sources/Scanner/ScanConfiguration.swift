import BlindfoldCore
import BuildInfo
import Evidence
import KnownHashes
import Manifest

/// Everything one scan needs, validated by the caller before the scan starts.
public struct ScanConfiguration: Sendable {
    /// The roots, as absolute canonical paths.
    public var roots: [PathBytes]
    /// The output directory (exists, outside every root).
    public var outputDirectory: String
    /// The plugins to run.
    public var registry: PluginRegistry
    /// The known-hash sets.
    public var matcher: HashMatcher
    /// What the walk covers.
    public var walkOptions = FileSystemWalker.Options()
    /// How libmagic is used; nil turns sniffing off.
    public var sniffOptions: SniffOptions? = SniffOptions()
    /// Workers that read and hash items.
    public var jobs: Int
    /// Reads in flight at once, across all workers (fewer for slow or spinning media).
    public var ioJobs: Int
    /// The limits.
    public var limits = ScanLimits()
    /// Open archives and compressed streams and scan their members.
    public var expandArchives = true
    /// The container kinds opened when ``expandArchives`` is on, asked in order.
    public var containerFormats: [any ContainerFormat] = [DiskImageFormat(), ArchiveFormat(), EmbeddedArchiveFormat()]
    /// Finished member records a scanning thread holds in memory for one walk entry before it
    /// writes them to its spill file (``RecordSpill``); not a command-line option.
    public var recordHoldLimit = 10_000
    /// Bytes per read.
    public var chunkSize = 1 << 20
    /// Items this large or larger have their digests computed on several cores at once.
    public var parallelDigestThreshold: Int64 = 32 << 20
    /// Triage order (media first, system folders last) instead of walk order.
    public var triage = false
    /// Stop after this many seconds (a triage's budget).
    public var budgetSeconds: Double?
    /// How much manifest may wait in memory before it is synced and journaled (what a crash
    /// can cost a resumed scan).
    public var checkpointBytes = 1 << 20
    /// The tool's version for the header.
    public var toolVersion: String
    /// The signals (PDQ, ...) configured for this run: their notes on items (a quality below the
    /// matching floor) and their settings in the header.
    public var signals = SignalCatalog.empty
    /// Whole-item (perceptual) plugins are not run on items a known-good set matched exactly.
    public var skipPerceptualForKnownGood = true
    /// The per-item time limit of the decoder workers, or nil when decoders run in the scanner.
    public var decoderWorkers: Double?
    /// The time a container parser in a worker may go without progress, or nil when
    /// ``containerFormats`` parse in the scanner (`--containers-in-process`).
    public var containerWorkers: Double?
    /// With `--shard I/N`: the split of the walk, and this run's part of it (nil: the whole scan).
    public var shard: ShardPlan?

    /// A configuration with the required parts and defaults for the rest.
    /// ``ioJobs`` starts equal to `jobs`.
    public init(
        roots: [PathBytes], outputDirectory: String, registry: PluginRegistry, matcher: HashMatcher,
        jobs: Int, toolVersion: String
    ) {
        self.roots = roots
        self.outputDirectory = outputDirectory
        self.registry = registry
        self.matcher = matcher
        self.jobs = max(1, jobs)
        self.ioJobs = self.jobs
        self.toolVersion = toolVersion
    }

    /// The header line (`record: scan`) for a scan started at `started`; `Manifest` encodes it.
    func header(started: Timestamp) -> ScanHeader {
        let plugins = registry.plugins.map { plugin in
            var entry = ScanHeader.Plugin(plugin.descriptor)
            entry.external = (plugin as? any TracedPlugin)?.provenance
            return entry
        }
        let hashSets = matcher.sets.map { set in
            ScanHeader.HashSet(
                name: set.info.name, role: set.info.role, format: set.info.format, entries: set.info.entries,
                sha256: set.info.sha256)
        }
        var options = JSONObjectBuilder()
        options.add("jobs", jobs)
        options.add("io_jobs", ioJobs)
        options.add("chunk_bytes", chunkSize)
        options.add("excludes", .array(walkOptions.excludes.map { .string($0) }))
        options.add("cross_filesystems", walkOptions.crossFilesystems)
        options.add("archives", expandArchives)
        options.add("order", triage ? "triage" : "walk")
        if let budgetSeconds { options.add("budget_s", .double(budgetSeconds)) }
        options.add("sniff", sniffOptions != nil)
        options.add("sniff_bytes", sniffOptions?.headBytes)
        options.add("sniff_profile", sniffOptions?.profile.rawValue)
        for option in signals.headerOptions { options.add(option.name, option.value.json) }
        options.add("skip_known_good", skipPerceptualForKnownGood)
        options.add("decoders", decoderWorkers == nil ? "in-process" : "workers")
        if let decoderWorkers { options.add("item_timeout_s", .double(decoderWorkers)) }
        options.add("containers", containerWorkers == nil ? "in-process" : "workers")
        if let containerWorkers { options.add("container_timeout_s", .double(containerWorkers)) }
        // Carving belongs to the disk-image format (docs/DISK-IMAGES.md); off when images are not opened.
        let carving = expandArchives ? containerFormats.lazy.compactMap { ($0.parsingFormat as? DiskImageFormat)?.carving }.first : nil
        options.add("carve", carving?.enabled ?? false)
        if let carving, carving.enabled {
            options.add("carve_max_bytes", carving.maxItemBytes)
            options.add("carve_max_video_bytes", carving.maxVideoBytes)
        }
        var header = ScanHeader(
            tool: ScanHeader.Tool(version: toolVersion), started: started, roots: roots.map(\.escaped), plugins: plugins,
            hashSets: hashSets, limits: limits.namedValues.map { ScanHeader.Limit(name: $0.name, value: $0.value) },
            options: options.fields)
        header.build = BuildInfo.current.headerJSON
        // Sharded scans (issue #17): which shard of which listing; `merge` reads and drops it.
        header.shard = shard?.headerJSON
        return header
    }
}
