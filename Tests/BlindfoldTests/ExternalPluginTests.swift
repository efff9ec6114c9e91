import BlindfoldCore
import ExternalPlugins
import KnownHashes
import Foundation
import Manifest
import Testing

/// External plugins (blindfold-plugin/1): the example plugin's values against the reference
/// tools, and a plugin that misbehaves on demand against the scanner's guarantees.
@Suite("External plugins") struct ExternalPluginTests {
    static let fuzzyPlugin = TestEnvironment.repository.appendingPathComponent("Plugins/fuzzy-hashes/fuzzy-hashes").path
    static let misbehaving = TestEnvironment.repository.appendingPathComponent("Tests/Tools/misbehaving_plugin.py").path

    static func shell(_ command: String) throws -> ProcessResult {
        let result = try ProcessRunner.run("/bin/sh", ["-c", command])
        #expect(result.exitCode == 0, "'\(command)' failed: \(result.stderr)")
        return result
    }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }

    /// A copy of the misbehaving plugin under `name` (its handshake mode) in `directory`.
    static func misbehaving(named name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.child(name).path
        try FileManager.default.copyItem(atPath: misbehaving, toPath: path)
        return path
    }

    // MARK: - The example plugin

    @Test("fuzzy-hashes: ssdeep and TLSH equal the ssdeep and tlsh tools', for files and archive members; a keyed list matches")
    func fuzzyHashes() throws {
        let workspace = try TemporaryDirectory("plugin-fuzzy")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        var random = SeededBytes(seed: 16)
        // Small (TLSH has no value under 256 bytes), medium, and over three 1 MiB chunks.
        try Self.write(random.next(100), to: evidence.appendingPathComponent("small.bin"))
        try Self.write(random.next(5000), to: evidence.appendingPathComponent("medium.bin"))
        try Self.write(random.next(3 << 20 | 12345), to: evidence.appendingPathComponent("big.bin"))
        let staged = workspace.child("staged")
        try FileManager.default.createDirectory(at: staged, withIntermediateDirectories: true)
        try Self.write(random.next(70_000), to: staged.appendingPathComponent("member.bin"))
        _ = try Self.shell("cd '\(staged.path)' && bsdtar -cf '\(evidence.path)/pack.tar' member.bin")

        func ssdeep(_ path: String) throws -> String {
            let lines = try Self.shell("ssdeep -s -b '\(path)'").stdout.split(separator: "\n")
            let line = try #require(lines.last)
            let comma = try #require(line.lastIndex(of: ","))
            return String(line[..<comma])
        }
        func tlsh(_ path: String) throws -> String? {
            let result = try ProcessRunner.run("/usr/bin/tlsh", ["-f", path])
            let first = result.stdout.split(separator: "\t").first.map(String.init) ?? ""
            return first.count == 70 ? first.lowercased() : nil
        }
        let mediumTLSH = try #require(try tlsh(evidence.appendingPathComponent("medium.bin").path))
        let list = workspace.child("fuzzy-bad.txt")
        try "# blindfold keyed hashes 1\ntlsh \(mediumTLSH.uppercased()) category-1\nssdeep 3:nothing:here\n".write(to: list, atomically: true, encoding: .utf8)

        let out = workspace.child("out")
        let result = try ProcessRunner.blindfold([
            "scan", evidence.path, "--out", out.path, "--plugin", Self.fuzzyPlugin, "--known-bad", list.path,
            "--export", "csv",
        ])
        #expect(result.exitCode == 1, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: out)
        for name in ["small.bin", "medium.bin", "big.bin"] {
            let item = try #require(manifest.item(name))
            let hashes = try #require(item.object("hashes"))
            let path = evidence.appendingPathComponent(name).path
            #expect(hashes.string("ssdeep") == (try ssdeep(path)), "\(name)")
            #expect(hashes.string("tlsh") == (try tlsh(path)), "\(name)")
            #expect(item["plugin_errors"] == nil)
        }
        let member = try #require(manifest.items.first { ($0["layers"] as? [[String: Any]])?.first?["member"] as? String == "member.bin" })
        #expect(member.object("hashes")?.string("ssdeep") == (try ssdeep(staged.appendingPathComponent("member.bin").path)))
        #expect(member.object("hashes")?.string("tlsh") == (try tlsh(staged.appendingPathComponent("member.bin").path)))
        // The keyed list: a hit on medium.bin's TLSH, with its label.
        let matches = try #require(manifest.item("medium.bin")?["matches"] as? [[String: Any]])
        #expect(matches.count == 1)
        #expect(matches.first?.string("algorithm") == "tlsh")
        #expect(matches.first?.string("category") == "category-1")
        // The header traces the executable.
        let plugins = try #require(manifest.header["plugins"] as? [[String: Any]])
        let entry = try #require(plugins.first { $0.string("id") == "fuzzy" })
        let external = try #require(entry.object("external"))
        #expect(external.string("sha256") == String(try Self.shell("sha256sum '\(Self.fuzzyPlugin)'").stdout.prefix(64)))
        #expect(external.string("path") == Self.fuzzyPlugin)
        #expect(external.string("plugin_version") == "1.0")
        // The CSV export has a column per declared output.
        let csv = try String(contentsOf: out.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let columns = csv.split(separator: "\r\n").first?.split(separator: ",").map(String.init) ?? []
        #expect(columns.suffix(2) == ["ssdeep", "tlsh"])
        #expect(csv.contains(mediumTLSH))
        // No working folder is left behind in the output folder.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".plugin-work").path))
    }

    @Test("plugins --plugin prints the declaration; a refused plugin is one line and exit 2")
    func pluginsCommand() throws {
        let shown = try ProcessRunner.blindfold(["plugins", "--plugin", Self.fuzzyPlugin])
        #expect(shown.exitCode == 0)
        #expect(shown.stdout.contains("name:           fuzzy"))
        #expect(shown.stdout.contains("outputs:        ssdeep (text), tlsh (hex)"))
        let workspace = try TemporaryDirectory("plugin-refused")
        defer { workspace.remove() }
        let refused = try ProcessRunner.blindfold(["plugins", "--plugin", try Self.misbehaving(named: "hello-v2", in: workspace)])
        #expect(refused.exitCode == 2)
        #expect(refused.stderrLines.count == 1)
        #expect(refused.stderr.contains("hello-v2") && refused.stderr.contains("blindfold-plugin/2"))
    }

    // MARK: - A plugin that misbehaves

    /// The markers of the misbehaving plugin, each with the start of the `plugin_errors` entry
    /// it must cause.
    static let markers: [(marker: String, error: String)] = [
        ("BF-CRASH", "corrupt: the plugin process exited with code 3"),
        ("BF-HANG", "limit: the plugin spent more than 2 s"),
        ("BF-UNDECLARED", "corrupt: the plugin broke the protocol (its answer holds a key it did not declare)"),
        ("BF-BADVALUE", "corrupt: the plugin broke the protocol (its value for 'mb_sha1' is not a valid hex value)"),
        ("BF-LONGTEXT", "corrupt: the plugin broke the protocol (its value for 'mb_label' is not a valid text value)"),
        ("BF-GARBAGE", "corrupt: the plugin broke the protocol (its answer is not a JSON object)"),
        ("BF-2GB", "corrupt: the plugin broke the protocol (it announced a frame of more than 16 MiB)"),
        ("BF-WRONGID", "corrupt: the plugin broke the protocol (its answer names another item's id)"),
        ("BF-ERROR", "corrupt: the plugin found the item corrupt"),
    ]

    @Test("each misbehaviour costs only its own item; values are checked; nothing undeclared or quoted is written; memory stays bounded")
    func misbehaviour() throws {
        let workspace = try TemporaryDirectory("plugin-misbehave")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let sentinel = TestEnvironment.sentinel
        // Bad items with good ones between them (walk order is by name), so failures never come
        // five in a row; one good item floods stderr but answers well.
        for (index, entry) in Self.markers.enumerated() {
            try "\(entry.marker) \(sentinel) item \(index)\n".write(
                to: evidence.appendingPathComponent("m\(index)a-\(entry.marker).txt"), atomically: true, encoding: .utf8)
            try "good item \(index) \(sentinel)\n".write(
                to: evidence.appendingPathComponent("m\(index)b-ok.txt"), atomically: true, encoding: .utf8)
        }
        try "BF-FLOOD but fine\n".write(to: evidence.appendingPathComponent("flood.txt"), atomically: true, encoding: .utf8)
        let log = workspace.child("scan.log")
        let out = workspace.child("out")
        let result = try ProcessRunner.run("/usr/bin/time", [
            "-f", "peak-rss-kib %M", TestEnvironment.binary.path, "scan", evidence.path, "--out", out.path,
            "--plugin", try Self.misbehaving(named: "misbehave", in: workspace), "--item-timeout", "2", "--jobs", "2",
            "--log-file", log.path, "--log-level", "debug", "--export", "csv",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let peak = result.stderrLines.last { $0.hasPrefix("peak-rss-kib ") }.flatMap { Int($0.dropFirst(13)) }
        #expect((peak ?? Int.max) < 150_000, "peak RSS \(peak ?? -1) KiB with a 2 GB frame prefix and a 64 MiB stderr flood")
        let manifest = try ParsedManifest(directory: out)
        for (index, entry) in Self.markers.enumerated() {
            let item = try #require(manifest.item("m\(index)a-\(entry.marker).txt"))
            let error = item.object("plugin_errors")?.string("misbehave") ?? ""
            #expect(error.hasPrefix(entry.error), "\(entry.marker): \(error)")
            #expect(item.object("hashes")?.string("sha256") != nil, "\(entry.marker) keeps its digests")
            #expect(item.object("hashes")?["mb_sha1"] == nil)
        }
        for name in Self.markers.indices.map({ "m\($0)b-ok.txt" }) + ["flood.txt"] {
            let item = try #require(manifest.item(name))
            #expect(item["plugin_errors"] == nil, "\(name)")
            let path = evidence.appendingPathComponent(name).path
            let sha1 = String(try Self.shell("sha1sum '\(path)'").stdout.prefix(40))
            let hashes = try #require(item.object("hashes"))
            #expect(hashes.string("mb_sha1") == sha1)
            #expect(hashes.int("mb_count") == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
            #expect(hashes.string("mb_b64") == Data(Self.bytes(hex: sha1)).base64EncodedString())
            #expect(hashes.string("mb_label") == "ok")
        }
        // Nothing undeclared, nothing the plugin quoted, anywhere.
        let manifestText = try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
        let csvText = try String(contentsOf: out.appendingPathComponent("manifest.csv"), encoding: .utf8)
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        for text in [manifestText, csvText, logText, result.stdout, result.stderr] {
            #expect(!text.contains("mb_secret"))
            #expect(!text.contains(sentinel))
            #expect(!text.contains("EEEEEEEE"))
        }
        // Every marker but BF-ERROR (an answer in step) is a failure of the process.
        #expect(result.stdout.contains("plugin misbehave: \(Self.markers.count - 1) item(s) failed"))
    }

    @Test("a plugin that fails on every item is switched off, and the summary says so")
    func switchOff() throws {
        let workspace = try TemporaryDirectory("plugin-switch-off")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        for index in 0..<8 { try "item \(index)\n".write(to: evidence.appendingPathComponent("f\(index).txt"), atomically: true, encoding: .utf8) }
        let out = workspace.child("out")
        let result = try ProcessRunner.blindfold([
            "scan", evidence.path, "--out", out.path, "--plugin", try Self.misbehaving(named: "crash-always", in: workspace),
            "--jobs", "1",
        ])
        #expect(result.exitCode == 0)
        let manifest = try ParsedManifest(directory: out)
        let errors = manifest.items.compactMap { $0.object("plugin_errors")?.string("misbehave") }
        #expect(errors.count == 8)
        #expect(errors.filter { $0.hasPrefix("corrupt: the plugin process exited with code 3") }.count == 5)
        #expect(errors.filter { $0.hasPrefix("unsupported: the plugin was switched off after 5 failures in a row") }.count == 3)
        #expect(result.stdout.contains("plugin misbehave: SWITCHED OFF after 5 failures in a row (5 failed, 3 not sent)"))
    }

    @Test("a malformed, late, other-version or key-taking handshake refuses the scan: exit 2, one line, nothing written",
          arguments: [
            ("hello-garbage", "malformed handshake: its hello is not a JSON object"),
            ("hello-late", "no handshake: the plugin said nothing within 10 s"),
            ("hello-v2", "it speaks blindfold-plugin/2"),
            ("hello-taken", "'sha256' is already taken"),
          ])
    func refusedHandshake(mode: String, reason: String) throws {
        let workspace = try TemporaryDirectory("plugin-hello")
        defer { workspace.remove() }
        let evidence = workspace.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try "x\n".write(to: evidence.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let out = workspace.child("out")
        let started = Date()
        let result = try ProcessRunner.blindfold([
            "scan", evidence.path, "--out", out.path, "--plugin", try Self.misbehaving(named: mode, in: workspace),
        ])
        #expect(result.exitCode == 2)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains(mode) && result.stderr.contains(reason), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        if mode == "hello-late" { #expect(Date().timeIntervalSince(started) < 14) }
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }
}

/// The protocol's checks on their own: declarations and values, by hand-made messages.
@Suite("External plugin protocol") struct ExternalPluginProtocolTests {
    static func hello(_ fields: String) -> [UInt8] {
        Array(#"{"type":"hello","version":1,"name":"lab","plugin_version":"2.1","outputs":[{"key":"photodna","kind":"base64"}],"accepts":{"mime":["image/*"],"max_bytes":1000}\#(fields)}"#.utf8)
    }

    @Test("a well-formed hello is read; unknown fields are ignored")
    func hello() throws {
        let declaration = try PluginDeclaration(hello: Self.hello(#","future":{"x":1}"#))
        #expect(declaration.name == "lab")
        #expect(declaration.pluginVersion == "2.1")
        #expect(declaration.outputs == [PluginDeclaration.Output(key: "photodna", kind: .base64)])
        #expect(declaration.mime == ["image/*"])
        #expect(declaration.maxBytes == 1000)
        #expect(declaration.filter.accepts("image/png") && !declaration.filter.accepts("text/plain"))
    }

    @Test("malformed hellos are refused with Blindfold's own reason", arguments: [
        (#"{"type":"hello","version":1}"#, "its 'name' is missing"),
        (#"{"type":"hello","version":1,"name":"Lab","plugin_version":"1","outputs":[{"key":"a","kind":"hex"}],"accepts":{"mime":["*"]}}"#, "its 'name' is missing"),
        (#"{"type":"hello","version":1,"name":"lab","plugin_version":"1","outputs":[{"key":"a","kind":"float"}],"accepts":{"mime":["*"]}}"#, "'kind' is not"),
        (#"{"type":"hello","version":1,"name":"lab","plugin_version":"1","outputs":[],"accepts":{"mime":["*"]}}"#, "'outputs' is missing, empty"),
        (#"{"type":"hello","version":1,"name":"lab","plugin_version":"1","outputs":[{"key":"a","kind":"hex"},{"key":"a","kind":"text"}],"accepts":{"mime":["*"]}}"#, "twice"),
        (#"{"type":"hello","version":1,"name":"lab","plugin_version":"1","outputs":[{"key":"a","kind":"hex"}],"accepts":{"mime":["image"]}}"#, "pattern"),
        (#"{"type":"hello","version":1,"name":"lab","plugin_version":"1","outputs":[{"key":"a","kind":"hex"}],"accepts":{"mime":["*"],"max_bytes":-1}}"#, "max_bytes"),
        (#"{"type":"hello","version":1,"type":"hello"}"#, "repeats a field"),
        (#"{"type":"hello","version":1} trailing"#, "not a JSON object"),
        (#"{"type":"hello","version":3}"#, "blindfold-plugin/3"),
    ])
    func malformed(text: String, reason: String) {
        do {
            _ = try PluginDeclaration(hello: Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
        }
    }

    @Test("values are checked against their declared kind", arguments: [
        (PluginOutputKind.hex, JSONValue.string("0A1b"), "0a1b"),
        (.hex, .string("0x1"), nil),
        (.hex, .string(""), nil),
        (.base64, .string("AAEC"), "AAEC"),
        (.base64, .string("AAE"), nil),
        (.text, .string("3:abc:def"), "3:abc:def"),
        (.text, .string(String(repeating: "a", count: 257)), nil),
        (.text, .string("tab\there"), nil),
        (.text, .string("caf\u{e9}"), nil),
        (.integer, .int(-5), "-5"),
        (.integer, .double(1.5), nil),
        (.integer, .string("5"), nil),
        (.hex, .int(5), nil),
    ] as [(PluginOutputKind, JSONValue, String?)])
    func kinds(kind: PluginOutputKind, value: JSONValue, expected: String?) {
        let checked = kind.validate(value)
        switch checked {
        case .hex(let text)?: #expect(text == expected)
        case .integer(let number)?: #expect(String(number) == expected)
        default: #expect(expected == nil && checked == nil)
        }
    }

    @Test("frame prefixes are 4-byte big-endian")
    func framing() {
        #expect(PluginFrame.prefix(0x0102_0304) == [1, 2, 3, 4])
        #expect(PluginFrame.length([0x80, 0, 0, 0]) == 0x8000_0000)
        #expect(PluginFrame.prefix(0) == [0, 0, 0, 0])
    }
}

/// Keyed lists (`# blindfold keyed hashes 1`, then `KEY VALUE [LABEL]`): reading and exact
/// matching of any key, hand-made values.
@Suite("Keyed hash lists") struct KeyedListTests {
    static func load(_ text: String, role: HashSetRole = .knownBad) throws -> any KnownHashSet {
        let workspace = try TemporaryDirectory("keyed")
        defer { workspace.remove() }
        let path = workspace.child("fuzzy.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try HashSetLoader.load(path: path, name: "fuzzy.txt", role: role)
    }

    @Test("lines of several keys, labels, CRLF and a byte-order mark; hex matches without case, text exactly")
    func reads() throws {
        let set = try Self.load("\u{FEFF}# blindfold keyed hashes 1\r\n# comment\r\ntlsh\t0A1B2C  cat 1\r\n\r\nssdeep 3:AbC:dEf\r\nmb_count 42 \r\n")
        #expect(set.info.format == "keyed-list")
        #expect(set.info.entries == 3)
        let hit = set.matches(for: [HashOutput(key: "tlsh", value: .hex("0a1b2c"))])
        #expect(hit == [Match(set: "fuzzy.txt", role: .knownBad, algorithm: "tlsh", category: "cat 1")])
        #expect(set.matches(for: [HashOutput(key: "ssdeep", value: .hex("3:AbC:dEf"))]).count == 1)
        #expect(set.matches(for: [HashOutput(key: "ssdeep", value: .hex("3:abc:def"))]).isEmpty)
        #expect(set.matches(for: [HashOutput(key: "mb_count", value: .integer(42))]).isEmpty)
        // A value under another key does not match.
        #expect(set.matches(for: [HashOutput(key: "other", value: .hex("0a1b2c"))]).isEmpty)
    }

    @Test("a malformed line refuses the set with its line number, never its text")
    func malformed() throws {
        do {
            _ = try Self.load("# blindfold keyed hashes 1\ntlsh 0a1b\nBadKey secret-value\n")
            Issue.record("accepted")
        } catch let error as HashSetError {
            #expect(error.line == 3)
            #expect(!error.description.contains("secret-value"))
        }
    }

    @Test("without its first line, two words are no format")
    func needsMagic() throws {
        #expect(throws: HashSetError.self) { try Self.load("hello world\n") }
    }
}
