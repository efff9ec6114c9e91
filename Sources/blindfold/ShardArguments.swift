import ArgumentParser
import BlindfoldCore
import Evidence
import Manifest
import Scanner

#if canImport(Glibc)
import Glibc
#endif

/// `scan --shard I/N`: the value checked, the listing made, and on `--resume` the listing
/// checked against the one the shard started from.
enum ShardArguments {
    /// The parsed `I/N`, or a one-line usage error.
    static func spec(_ text: String) throws -> ShardSpec {
        do {
            return try ShardSpec(parsing: text)
        } catch {
            throw ValidationError("--shard: \(error)")
        }
    }

    /// The split for `--shard`, or nil without it. When resuming the scan in `directory`, the
    /// tree must still list as it did when the shard started.
    static func plan(
        _ text: String?, roots: [PathBytes], options: FileSystemWalker.Options, resumingIn directory: String?
    ) throws -> ShardPlan? {
        guard let text else { return nil }
        let plan = ShardPlan.list(roots: roots, options: options, spec: try spec(text))
        if let directory, let recorded = recordedListing(in: directory), recorded != plan.listingSHA256 {
            throw CommandLineError(
                "--resume: the evidence no longer lists as it did when shard \(plan.spec) started (listing SHA-256 differs); scan every shard again with --overwrite")
        }
        return plan
    }

    /// The listing SHA-256 in the header of the manifest (partial or final) in `directory`.
    private static func recordedListing(in directory: String) -> String? {
        for name in [ManifestWriter.partialName, ManifestWriter.fileName] {
            guard let stream = fopen(directory + "/" + name, "re") else { continue }
            defer { fclose(stream) }
            var line: UnsafeMutablePointer<CChar>?
            var capacity = 0
            defer { free(line) }
            let count = getline(&line, &capacity, stream)
            guard count > 0, let line,
                case .header(let header)? = try? ManifestReader.line(UnsafeRawBufferPointer(start: line, count: count))
            else { return nil }
            return ShardHeaderInfo(header.shard)?.listingSHA256
        }
        return nil
    }
}
