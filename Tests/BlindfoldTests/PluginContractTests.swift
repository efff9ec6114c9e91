import BlindfoldCore
import Foundation
import Isolation
import Manifest
import PDQ
import Testing

/// The plugin contract of issue #12: options declared once and generating the command line,
/// the workers' arguments and the header; the one whole-item session and its size cap; the
/// versioned worker handshake.
@Suite("Plugin options, size cap and worker handshake")
struct PluginContractTests {
    /// A whole-item plugin with a 10-byte cap that reports how many bytes it was given.
    struct CappedPlugin: WholeItemPlugin {
        var descriptor: HashPluginDescriptor {
            HashPluginDescriptor(id: "capped", version: "1", summary: "test", sizeCap: 10, inputMode: .wholeItem)
        }
        func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome {
            .values([HashOutput(key: "capped", value: .integer(bytes.count))])
        }
    }

    static func feed(_ plugin: some WholeItemPlugin, declared: Int64?, chunks: [Int]) -> PluginOutcome? {
        guard let session = plugin.makeSession(for: ItemContext(mime: nil, size: declared)) else { return nil }
        for count in chunks { [UInt8](repeating: 7, count: count).withUnsafeBytes { session.update($0) } }
        return session.finish()
    }

    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    @Test("Every declared plugin option is a scan flag with its help, and each round-trips to arguments")
    func optionsGenerateFlags() throws {
        let help = try ProcessRunner.blindfold(["scan", "--help"])
        #expect(help.exitCode == 0)
        for option in PDQPlugin.Option.all {
            #expect(help.stdout.contains("--\(option.flag)"), "\(option.flag)")
            #expect(Self.collapsed(help.stdout).contains(Self.collapsed(option.help)), "\(option.flag)")
            guard case .bool = option.defaultValue else { continue }
            #expect(option.arguments(for: option.defaultValue).isEmpty)
            #expect(option.arguments(for: .bool(true)) == ["--\(option.flag)"])
        }
        #expect(PDQPlugin().descriptor.optionArguments.isEmpty)
        let listing = try ProcessRunner.blindfold(["plugins"])
        #expect(listing.stdout.contains(PDQPlugin.Option.all.map { "--" + $0.flag }.joined(separator: ",")))
        #expect(PDQPlugin(options: PDQOptions(dihedral: true, fast: true)).descriptor.optionArguments == ["--pdq-dihedral", "--pdq-fast"])
    }

    @Test("--pdq-fast changes PDQ's recorded identity: descriptor, header entry, and the workers agree")
    func fastIsPartOfTheIdentity() throws {
        let plain = PDQPlugin().descriptor
        let fast = PDQPlugin(options: PDQOptions(fast: true)).descriptor
        #expect(plain.identity == "1;dihedral=false;fast=false")
        #expect(fast.identity == "1;dihedral=false;fast=true")
        #expect(fast.provenanceJSON.serialized == #"{"id":"pdq","version":"1","options":{"dihedral":false,"fast":true}}"#)
        #expect(PluginRegistryCheck.entry(for: "md5") == #"{"id":"md5","version":"1"}"#)

        let images = TestEnvironment.fixtures.appendingPathComponent("images/formats")
        for (extra, expected) in [([String](), false), (["--pdq-fast"], true)] {
            let output = try TemporaryDirectory("plugin-identity")
            defer { output.remove() }
            // Workers (the default) are started with arguments generated from the options and
            // refused unless their identity matches: a hashed image proves they agreed.
            let result = try ProcessRunner.blindfold(["scan", images.path, "--out", output.path, "--plugins", "pdq"] + extra)
            #expect(result.exitCode == 0, "\(result.stderr)")
            let manifest = try ParsedManifest(directory: output.url)
            let plugins = try #require(manifest.header["plugins"] as? [[String: Any]])
            let pdq = try #require(plugins.first { $0["id"] as? String == "pdq" })
            #expect(pdq["version"] as? String == "1")
            #expect((pdq["options"] as? [String: Any])?["fast"] as? Bool == expected)
            #expect(manifest.item("pattern.png")?.object("hashes")?.string("pdq")?.count == 64)
            #expect(manifest.items.allSatisfy { $0["plugin_errors"] == nil })
        }
    }

    @Test("The whole-item session honours the size cap: bytes over it are `limit`; a declared size is not trusted")
    func sizeCapHonoured() throws {
        #expect(PDQPlugin().descriptor.sizeCap == HashPluginDescriptor.standardWholeItemCap)
        #expect(HashPluginDescriptor.standardWholeItemCap == 256 << 20)
        #expect(HashPluginDescriptor(id: "s", version: "1", summary: "").sizeCap == nil)
        let plugin = CappedPlugin()
        #expect(plugin.descriptor.applies(to: ItemContext(mime: nil, size: 1 << 40)))
        #expect(Self.feed(plugin, declared: 10, chunks: [4, 6]) == .values([HashOutput(key: "capped", value: .integer(10))]))
        let limit = PluginOutcome.failure(PluginFailure(status: .limit, reason: "the item is larger than the plugin's size cap of 10 bytes"))
        #expect(Self.feed(plugin, declared: nil, chunks: [6, 5]) == limit)
        #expect(Self.feed(plugin, declared: 3, chunks: [6, 6]) == limit)
        #expect(Self.feed(plugin, declared: 11, chunks: [11]) == limit)
        // A declared size is not trusted either way: a member whose header claims more than
        // the cap but holds a small image is still hashed.
        #expect(Self.feed(plugin, declared: 1 << 40, chunks: [4]) == .values([HashOutput(key: "capped", value: .integer(4))]))
    }

    /// A stand-in worker: a Python script that writes `hello` (already framed) to descriptor 3
    /// and then sleeps, so a refusal can only come from what it said.
    static func fakeWorkerPool(hello: [UInt8]?, handshakeTimeout: Double = 10) -> WorkerPool {
        let bytes = hello.map { $0.map(String.init).joined(separator: ",") } ?? ""
        let script = "import os,time\nb=bytes([\(bytes)])\nif b: os.write(3,b)\ntime.sleep(30)\n"
        return WorkerPool(configuration: WorkerPoolConfiguration(
            executable: "/usr/bin/python3", arguments: ["python3", "-c", script], itemTimeout: 5, handshakeTimeout: handshakeTimeout))
    }

    static func refusal(_ pool: WorkerPool) -> (reason: String, seconds: Double) {
        let start = Date()
        let outcome = pool.run(plugin: "pdq", identity: "1;dihedral=false;fast=false", context: ItemContext(mime: nil, size: 3), payload: [1, 2, 3])
        guard case .failure(let failure) = outcome, failure.status == .unsupported else { return ("not refused: \(outcome)", 0) }
        return (failure.reason, Date().timeIntervalSince(start))
    }

    @Test("A worker of another wire version, a silent one, and one computing PDQ differently are refused quickly")
    func handshakeRefusals() throws {
        var other = WireWriter()
        other.bytes(Array("BFWH".utf8))
        other.integer(1)
        let version = Self.refusal(Self.fakeWorkerPool(hello: other.framed))
        #expect(version.reason == "the decoder worker speaks wire version 1, this scanner \(WireFormat.version): refused")
        #expect(version.seconds < 3)

        let silent = Self.refusal(Self.fakeWorkerPool(hello: nil, handshakeTimeout: 0.5))
        #expect(silent.reason == "the decoder worker said nothing within 1 s instead of saying hello: refused")
        #expect(silent.seconds < 3)

        var fast = WireWriter()
        fast.hello(WorkerHello(identities: ["pdq": "1;dihedral=false;fast=true"]))
        let identity = Self.refusal(Self.fakeWorkerPool(hello: fast.framed))
        #expect(identity.reason
            == "the decoder worker runs pdq as '1;dihedral=false;fast=true', the scan records '1;dihedral=false;fast=false': refused")
        #expect(identity.seconds < 3)
    }

    @Test("The real worker says hello with this build's version and its plugins' identities")
    func realWorkerHello() throws {
        let pool = WorkerPool(configuration: WorkerPoolConfiguration(
            executable: TestEnvironment.binary.path, arguments: ["blindfold", "worker", "--pdq-fast"], itemTimeout: 10))
        let png = try [UInt8](Data(contentsOf: TestEnvironment.fixtures.appendingPathComponent("images/formats/pattern.png")))
        let context = ItemContext(mime: "image/png", size: Int64(png.count))
        let outcome = pool.run(plugin: "pdq", identity: "1;dihedral=false;fast=true", context: context, payload: png)
        guard case .values(let values) = outcome else { Issue.record("\(outcome)"); return }
        #expect(values.map(\.key) == ["pdq", "pdq_quality"])
        // The same pool refuses a request for another computation than its workers said hello with.
        let plain = pool.run(plugin: "pdq", identity: "1;dihedral=false;fast=false", context: context, payload: png)
        #expect(plain == .failure(PluginFailure(status: .unsupported, reason:
            "the decoder worker runs pdq as '1;dihedral=false;fast=true', the scan records '1;dihedral=false;fast=false': refused")))
    }
}

/// The header entry of a plugin without options, as the scan writes it.
enum PluginRegistryCheck {
    static func entry(for id: String) -> String {
        HashPluginDescriptor(id: id, version: "1", summary: "").provenanceJSON.serialized
    }
}
