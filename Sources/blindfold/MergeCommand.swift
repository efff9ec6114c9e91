import ArgumentParser
import BlindfoldCore
import Foundation
import Manifest

#if canImport(Glibc)
import Glibc
#endif

/// `blindfold merge`: the shards of one `scan --shard I/N` joined into one scan's manifest.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the output folders of every shard of a sharded scan into one manifest.",
        discussion: """
            Give the --out folder of each 'blindfold scan --shard I/N' run, in any order. The \
            merged manifest's item lines are byte for byte, and in the same order, those one \
            'blindfold scan' of the same roots would have written; its header lists the shards \
            and their manifests' SHA-256, its summary counts every item. 'verify', 'export' and \
            'report' read it like any manifest.

            Refused, with nothing written: a missing or duplicated shard, a shard of another \
            scan (other roots, options, sets or shard count, or a tree that changed between the \
            shards' listings), and an unfinished shard (finish it with 'blindfold scan --resume'). \
            Exit codes: 0 merged, no known-bad match; 1 merged with at least one known-bad \
            match; 2 refused. See docs/SCALE-OUT.md.
            """
    )

    @Argument(help: ArgumentHelp("The output folder of every shard.", valueName: "shard-dir"))
    var shards: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output directory for the merged manifest (created if missing; outside every root).", valueName: "dir"))
    var out: String

    @Flag(name: .long, help: "Replace a manifest already in the output directory.")
    var overwrite = false

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give the output folder of every shard") }
    }

    func run() throws {
        // Everything is checked before the output folder is touched.
        let merge: ShardMerge
        do { merge = try ShardMerge(directories: shards) } catch { throw CommandLineError("\(error)") }
        let output = try OutputDirectory.check(out, roots: merge.roots.map(PathBytes.init), overwrite: overwrite)
        for shard in shards where (try? CanonicalPath.prospective(shard).escaped) == output.path {
            throw CommandLineError("--out '\(out)' is one of the shards' folders: choose another folder")
        }
        let existed = access(output.path, F_OK) == 0
        try output.create()
        let result: (summary: ScanSummary, sha256: String)
        do {
            result = try merge.write(to: output.path)
        } catch {
            if !existed { rmdir(output.path) }
            throw CommandLineError("\(error)")
        }
        print("merged \(shards.count) shards: \(result.summary.items) items, \(result.summary.knownBadItems) known-bad")
        print("manifest: \(output.path)/\(ManifestWriter.fileName) (sha256 \(result.sha256))")
        if result.summary.knownBadItems > 0 { throw ExitCode(1) }
    }
}
