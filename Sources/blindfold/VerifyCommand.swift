import ArgumentParser
import BlindfoldCore
import Crypto
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
        let structure = ManifestStructure.check(manifest)
        failures += structure.problems
        if structure.problems.isEmpty {
            lines.append("structure:  OK (\(structure.items.count) items; header, items and summary agree)")
        }

        // 3. The evidence.
        if !against.isEmpty, structure.problems.isEmpty {
            let roots = try against.map(CanonicalPath.existing)
            guard roots.count == structure.rootCount else {
                throw CommandLineError("verify: the scan had \(structure.rootCount) root(s); give --against once for each, in order")
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

        for line in lines { print(line) }
        if failures.isEmpty {
            print("blindfold verify: VERIFIED")
        } else {
            for failure in failures { print("FAILED:     \(failure)") }
            print("blindfold verify: FAILED")
            throw ExitCode(1)
        }
    }

    /// True when the file at `path` still has every digest the record holds.
    static func matches(_ record: ItemRecord, at path: PathBytes) -> Bool {
        guard let file = try? EvidenceFile(path: path, expected: nil) else { return false }
        var md5 = Insecure.MD5()
        var sha1 = Insecure.SHA1()
        var sha256 = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            guard let count = try? file.read(into: buffer) else { return false }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            md5.update(bufferPointer: chunk)
            sha1.update(bufferPointer: chunk)
            sha256.update(bufferPointer: chunk)
        }
        let fresh = ["md5": Hex.encode(md5.finalize()), "sha1": Hex.encode(sha1.finalize()), "sha256": Hex.encode(sha256.finalize())]
        return record.hashes.allSatisfy { output in
            guard case .hex(let value) = output.value, let now = fresh[output.key] else { return true }
            return now == value
        }
    }

    static func sha256(of path: String) throws -> String {
        guard let stream = fopen(path, "re") else { throw CommandLineError("verify: cannot read '\(path)'") }
        defer { fclose(stream) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, stream) }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return Hex.encode(hasher.finalize())
    }
}

/// A manifest read in full for `verify`: its items, its roots, and what does not add up.
struct ManifestStructure {
    var items: [ItemRecord] = []
    var rootCount = 0
    var problems: [String] = []

    static func check(_ path: String) -> ManifestStructure {
        var result = ManifestStructure()
        guard let data = FileManager.default.contents(atPath: path) else {
            result.problems.append("the manifest cannot be read")
            return result
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else {
            result.problems.append("the manifest does not end with a line break: it is cut off")
            return result
        }
        var header: [String: Any]?
        var summary: [String: Any]?
        for (index, line) in lines.dropLast().enumerated() {
            guard let object = ManifestReader.object(line) else {
                result.problems.append("line \(index + 1) is not a JSON object")
                continue
            }
            switch object["record"] as? String {
            case "scan" where index == 0: header = object
            case "summary" where index == lines.count - 2: summary = object
            case "item" where index > 0 && index < lines.count - 2:
                if let record = ManifestReader.item(object) {
                    result.items.append(record)
                } else {
                    result.problems.append("line \(index + 1) is not a valid item record")
                }
            default: result.problems.append("line \(index + 1) is out of place")
            }
        }
        guard let header, let summary else {
            result.problems.append("the header or the summary line is missing")
            return result
        }
        result.rootCount = (header["roots"] as? [Any])?.count ?? 0
        if (summary["items"] as? Int) != result.items.count {
            result.problems.append("the summary counts \(summary["items"] as? Int ?? -1) items, the manifest holds \(result.items.count)")
        }
        var statuses: [String: Int] = [:]
        for record in result.items { statuses[record.status.rawValue, default: 0] += 1 }
        if let recorded = summary["by_status"] as? [String: Int], recorded != statuses {
            result.problems.append("the per-status counts do not match the items")
        }
        let bad = result.items.filter { $0.matches.contains { $0.role == .knownBad } }.count
        if ((summary["matches"] as? [String: Any])?["known-bad"] as? Int) != bad {
            result.problems.append("the known-bad count does not match the items")
        }
        return result
    }
}
