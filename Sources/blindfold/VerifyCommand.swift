import ArgumentParser
import BlindfoldCore
import Evidence
import Foundation
import Manifest

#if canImport(Glibc)
import Glibc
#endif

/// `blindfold verify`: chain of custody for a manifest and, optionally, the evidence behind it.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a manifest's digest and consistency and, with --against, that the evidence still matches.",
        discussion: """
            Checks that manifest.jsonl.sha256 matches the manifest, that every line parses with \
            the header first and the summary last, and that the summary's counts agree with the \
            items. With --against ROOT (one per root, in the scan's order) it reads a sample of \
            the files again (every file with --full) and compares their digests; archive members \
            are checked through their archive's own digest. Exit 0: verified; 1: a check failed; \
            2: bad invocation.
            """
    )

    @Argument(help: ArgumentHelp("The manifest.jsonl to check.", valueName: "manifest"))
    var manifest: String

    @Option(name: .long, help: ArgumentHelp("The evidence root to re-hash against (repeat for several roots).", valueName: "root"))
    var against: [String] = []

    @Flag(name: .long, help: "Re-hash every file instead of a sample.")
    var full = false

    @Option(name: .long, help: ArgumentHelp("How many files to re-hash without --full.", valueName: "n"))
    var sample: Int = 100

    func validate() throws {
        if sample < 1 { throw ValidationError("--sample must be at least 1") }
    }

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: manifest) else {
            throw CommandLineError("verify: cannot read '\(manifest)'")
        }
        var failures: [String] = []
        var lines: [String] = []

        // 1. The sidecar digest.
        let sidecarPath = manifest + ".sha256"
        let digest = try Self.sha256(of: manifest)
        if let sidecar = try? String(contentsOfFile: sidecarPath, encoding: .utf8) {
            if sidecar.hasPrefix(digest + " ") {
                lines.append("digest:     OK (sha256 \(digest) matches \(ManifestWriter.sidecarName))")
            } else {
                failures.append("the manifest's sha256 does not match its sidecar: it was changed after the scan")
            }
        } else {
            failures.append("the sidecar \(sidecarPath) is missing")
        }

        // 2. Structure and counts.
        let structure = ManifestCheck(path: manifest)
        failures += structure.problems
        if structure.problems.isEmpty {
            lines.append("structure:  OK (\(structure.items.count) items; header, items and summary agree)")
        }
        let frameFiles = SidecarCheck(manifest: manifest, items: structure.items)
        failures += frameFiles.problems
        if frameFiles.checked > 0 && frameFiles.problems.isEmpty {
            lines.append("frame files: OK (\(frameFiles.checked) vPDQ files match their sha256)")
        }
        let rootCount = structure.header?.roots.count ?? 0

        // 3. The evidence.
        if !against.isEmpty, structure.problems.isEmpty {
            let roots = try against.map(CanonicalPath.existing)
            guard roots.count == rootCount else {
                throw CommandLineError("verify: the scan had \(rootCount) root(s); give --against once for each, in order")
            }
            let files = structure.items.filter { $0.path.layers.isEmpty && $0.status == .ok && !$0.hashes.isEmpty }
            let step = full ? 1 : max(1, (files.count + sample - 1) / sample)
            var checked = 0
            var mismatched: [Int] = []
            for index in stride(from: 0, to: files.count, by: step) {
                let record = files[index]
                checked += 1
                let root = roots[record.path.rootIndex]
                let rootIsFile = (try? FileStat.of(root, followingLinks: true).get())?.kind != .directory
                let path = rootIsFile ? root : root.appending(record.path.relative)
                if !Self.matches(record, at: path) { mismatched.append(index) }
            }
            if mismatched.isEmpty {
                lines.append("evidence:   OK (\(checked) of \(files.count) files read again, all digests match)")
            } else {
                failures.append("\(mismatched.count) of \(checked) files read again no longer match their recorded digests")
            }
        }

        for line in lines { print(TerminalText.escaping(line)) }
        if failures.isEmpty {
            print("blindfold verify: VERIFIED")
        } else {
            for failure in failures { print("FAILED:     \(TerminalText.escaping(failure))") }
            print("blindfold verify: FAILED")
            throw ExitCode(1)
        }
    }

    /// True when the file at `path` still has every digest the record holds (recomputed with
    /// the digest plugins).
    static func matches(_ record: ItemRecord, at path: PathBytes) -> Bool {
        guard let file = try? EvidenceFile(path: path, expected: nil) else { return false }
        let fresh = RecomputedDigests.compute(
            plugins: PluginCatalog.digests, item: ItemContext(mime: record.mime, size: record.size)
        ) { buffer in try? file.read(into: buffer) }
        guard let fresh else { return false }
        return fresh.allSatisfy { output in
            guard case .hex(let recorded)? = record.hash(output.key) else { return true }
            return output.value == .hex(recorded)
        }
    }

    /// The SHA-256 of the file at `path` as lower-case hex (a manifest's own digest).
    static func sha256(of path: String) throws -> String {
        guard let stream = fopen(path, "re") else { throw CommandLineError("verify: cannot read '\(path)'") }
        defer { fclose(stream) }
        let whole = ItemContext(mime: nil, size: nil)
        let outputs = RecomputedDigests.compute(plugins: [PluginCatalog.manifestDigest], item: whole) { buffer in
            let count = fread(buffer.baseAddress, 1, buffer.count, stream)
            return count == 0 && ferror(stream) != 0 ? nil : count
        }
        guard case .hex(let digest)? = outputs?.first?.value else { throw CommandLineError("verify: cannot read '\(path)'") }
        return digest
    }
}
