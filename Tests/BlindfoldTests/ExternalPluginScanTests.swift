import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// External plugins in whole scans: their values matched through a `.bfhs` index of a keyed
/// list, an interruption that does not wait for a plugin, and `--resume` with another plugin.
@Suite("External plugin scans") struct ExternalPluginScanTests {
    static func evidence(_ files: [String: String], in workspace: TemporaryDirectory) throws -> URL {
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return root
    }

    static func sha1(_ path: String) throws -> String {
        String(try ExternalPluginTests.shell("sha1sum '\(path)'").stdout.prefix(40))
    }

    /// The matches of `name` as (set, role, algorithm, category) strings.
    static func matches(_ manifest: ParsedManifest, _ name: String) -> [[String?]] {
        let matches = manifest.item(name)?["matches"] as? [[String: Any]] ?? []
        return matches.map { [$0.string("set"), $0.string("role"), $0.string("algorithm"), $0.string("category")] }
    }

    /// True when a process whose command line holds `path` is running (read from /proc).
    static func running(_ path: String) -> Bool {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.contains { entry in
            guard entry.allSatisfy(\.isNumber), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else {
                return false
            }
            return String(decoding: line, as: UTF8.self).contains(path)
        }
    }

    @Test("a keyed list imported into a .bfhs index matches a plugin's value exactly, as the list itself does")
    func keyedIndex() throws {
        let workspace = try TemporaryDirectory("plugin-keyed-index")
        defer { workspace.remove() }
        let root = try Self.evidence(["listed.txt": "an item whose plugin value is listed\n", "other.txt": "an item not listed\n"], in: workspace)
        // The misbehaving plugin's mb_sha1 of a good item is the file's SHA-1 (sha1sum's).
        let listedSHA1 = try Self.sha1(root.appendingPathComponent("listed.txt").path)
        let list = workspace.child("keyed.txt")
        try "# blindfold keyed hashes 1\nmb_sha1 \(listedSHA1.uppercased()) cat-1\nmb_sha1 \(String(repeating: "ab", count: 20))\n"
            .write(to: list, atomically: true, encoding: .utf8)
        let index = workspace.child("keyed.bfhs")
        let imported = try ProcessRunner.blindfold([
            "hashset", "import", list.path, "--name", "unit-keyed", "--role", "known-bad", "-o", index.path,
        ])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("2 entries from keyed-list (mb_sha1 2)"), "\(imported.stdout)")
        let plugin = try ExternalPluginTests.misbehaving(named: "misbehave", in: workspace)

        var answers: [[[String?]]] = []
        for (set, name) in [(index, "unit-keyed"), (list, "keyed.txt")] {
            let out = workspace.child("out-\(name)")
            let result = try ProcessRunner.blindfold([
                "scan", root.path, "--out", out.path, "--plugin", plugin, "--known-bad", set.path,
            ])
            #expect(result.exitCode == 1, "\(result.stderr)")
            let manifest = try ParsedManifest(directory: out)
            #expect(manifest.item("listed.txt")?.object("hashes")?.string("mb_sha1") == listedSHA1)
            #expect(Self.matches(manifest, "listed.txt") == [[name, "known-bad", "mb_sha1", "cat-1"]])
            #expect(Self.matches(manifest, "other.txt").isEmpty)
            let sets = try #require(manifest.header["hashsets"] as? [[String: Any]])
            #expect(sets.first?.string("sha256") == String(try ExternalPluginTests.shell("sha256sum '\(list.path)'").stdout.prefix(64)))
            #expect(sets.first?.string("format") == (name == "unit-keyed" ? "bfhs:keyed-list" : "keyed-list"))
            let found = Self.matches(manifest, "listed.txt") + Self.matches(manifest, "other.txt")
            answers.append(found.map { Array($0.dropFirst()) })  // all but the set's name
        }
        #expect(answers[0] == answers[1], "the index answers as the list")
    }

    @Test("SIGTERM while a plugin hangs ends the scan within seconds (not --item-timeout); --resume refuses a changed plugin")
    func interruptAndResume() throws {
        let workspace = try TemporaryDirectory("plugin-interrupt")
        defer { workspace.remove() }
        let root = try Self.evidence([
            "a1.txt": "good item 1\n", "a2.txt": "good item 2\n", "a3.txt": "good item 3\n", "b-hang.txt": "BF-HANG\n",
        ], in: workspace)
        let plugin = try ExternalPluginTests.misbehaving(named: "misbehave", in: workspace)
        let out = workspace.child("out")
        var signalled: Date?
        let result = try ProcessRunner.run(
            TestEnvironment.binary.path,
            ["scan", root.path, "--out", out.path, "--plugin", plugin, "--jobs", "1", "--item-timeout", "600",
             "--checkpoint-bytes", "1"],
            onStart: { process in
                // Once the three good items are recorded, the plugin has the hanging one.
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline {
                    usleep(100_000)
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
                    guard let partial = names.first(where: { $0.hasPrefix(".manifest.jsonl.partial") }),
                        let text = try? String(contentsOf: out.appendingPathComponent(partial), encoding: .utf8)
                    else { continue }
                    if text.components(separatedBy: "\"record\":\"item\"").count - 1 >= 3 { break }
                }
                usleep(500_000)
                signalled = Date()
                kill(process.processIdentifier, SIGTERM)
            })
        let took = Date().timeIntervalSince(try #require(signalled))
        #expect(took < 3, "the scan took \(took) s to stop after SIGTERM")
        #expect(result.exitCode == 3, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: out)
        #expect(manifest.summary["complete"] as? Bool == false)
        for name in ["a1.txt", "a2.txt", "a3.txt"] {
            let path = root.appendingPathComponent(name).path
            #expect(manifest.item(name)?.object("hashes")?.string("mb_sha1") == (try Self.sha1(path)))
        }
        let hung = try #require(manifest.item("b-hang.txt"))
        #expect(hung.object("plugin_errors")?.string("misbehave") == "skipped: the scan was interrupted while the plugin worked on this item")
        #expect(!result.stdout.contains("item(s) failed"), "an interruption is not the plugin's failure")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".plugin-work").path))
        #expect(!Self.running(plugin), "no plugin process is left running")

        func resume() throws -> ProcessResult {
            let before = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            // Under a time limit: a resume that wrongly goes ahead would wait on the hanging item.
            let resumed = try ProcessRunner.run(
                "/usr/bin/timeout", ["60", TestEnvironment.binary.path, "scan", "--resume", out.path])
            #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before, "nothing written")
            return resumed
        }
        let refusal = "--resume: the external plugins are not the ones the interrupted scan ran"
        // Another declaration from the same executable (its version, read from a file beside it).
        try "0.2\n".write(toFile: plugin + ".version", atomically: true, encoding: .utf8)
        let declared = try resume()
        #expect(declared.exitCode == 2)
        #expect(declared.stderrLines.count == 1 && declared.stderr.contains(refusal), "\(declared.stderr)")
        // The same declaration from another executable (its SHA-256).
        try FileManager.default.removeItem(atPath: plugin + ".version")
        let handle = try #require(FileHandle(forWritingAtPath: plugin))
        handle.seekToEndOfFile()
        handle.write(Data("# another build\n".utf8))
        handle.closeFile()
        let rebuilt = try resume()
        #expect(rebuilt.exitCode == 2)
        #expect(rebuilt.stderrLines.count == 1 && rebuilt.stderr.contains(refusal), "\(rebuilt.stderr)")
    }
}
