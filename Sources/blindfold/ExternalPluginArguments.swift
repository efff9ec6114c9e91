import ArgumentParser
import BlindfoldCore
import ExternalPlugins
import Manifest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `--plugin PATH` (repeatable), shared by `scan` and `triage`: external plugins that speak
/// `blindfold-plugin/1` (docs/PLUGINS.md).
struct ExternalPluginArguments: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("An external plugin: an executable speaking blindfold-plugin/1, run out of process on every item it accepts (repeatable; see docs/PLUGINS.md).", valueName: "path"))
    var paths: [String] = []

    init() {}

    /// Arguments naming `paths` (for `blindfold plugins --plugin`).
    init(paths: [String]) { self.paths = paths }

    /// The plugins after their handshake, every declaration checked against `registry` and the
    /// others; the first refusal is one line naming the plugin (exit 2, nothing written). Every
    /// wait on a plugin process ends early once `shouldStop` answers true (the scan's interruption).
    func load(
        besides registry: PluginRegistry, itemTimeout: Double, memoryCap: Int,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) throws -> [ExternalPlugin] {
        var taken = Set(registry.descriptors.flatMap { [$0.id] + $0.outputKeys })
        var plugins: [ExternalPlugin] = []
        for path in paths {
            let plugin = try Self.handshake(path, itemTimeout: itemTimeout, memoryCap: memoryCap, shouldStop: shouldStop)
            let declaration = plugin.host.declaration
            for word in [declaration.name] + declaration.outputs.map(\.key) where taken.contains(word) {
                throw CommandLineError("--plugin '\(path)': refused: '\(word)' is already taken by another plugin's id or output key")
            }
            taken.formUnion([declaration.name] + declaration.outputs.map(\.key))
            plugins.append(plugin)
        }
        return plugins
    }

    /// Starts the plugin at `path` once, reads its hello and ends it: the declaration and the
    /// executable's digest, or the one-line reason it was refused.
    static func handshake(
        _ path: String, itemTimeout: Double, memoryCap: Int, shouldStop: @escaping @Sendable () -> Bool
    ) throws -> ExternalPlugin {
        guard let resolved = realpath(path, nil) else {
            throw CommandLineError("--plugin '\(path)': refused: \(String(cString: strerror(errno)))")
        }
        let absolute = String(cString: resolved)
        free(resolved)
        var info = stat()
        guard stat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(absolute, X_OK) == 0 else {
            throw CommandLineError("--plugin '\(path)': refused: not an executable regular file")
        }
        let launch = PluginLaunch(path: absolute, memoryCap: memoryCap)
        // The handshake's process gets a private folder of its own in the system's temporary
        // folder; the scan's processes get theirs in the output folder once it exists.
        let parent = NSTemporaryDirectory() + "blindfold-plugin-\(getpid())"
        defer { rmdir(parent) }
        do throws(HandshakeProblem) {
            return try ExternalPlugin.connect(launch, itemTimeout: itemTimeout, workParent: parent, shouldStop: shouldStop)
        } catch {
            throw CommandLineError("--plugin '\(path)': refused: \(error)")
        }
    }

    /// Refuses to resume a scan whose external plugins were not these: another executable (its
    /// SHA-256), another declaration, or one plugin more or less. The item lines already written
    /// were made by the recorded ones, and a manifest must be one computation.
    static func checkResume(in directory: String, plugins: [ScanHeader.Plugin]) throws {
        // A scan stopped by a signal closed its manifest under its final name; one killed
        // outright left it under the temporary name (as ScanResume reads them).
        let partial = directory + "/" + ManifestWriter.partialName
        let manifest = access(partial, F_OK) == 0 ? partial : directory + "/" + ManifestWriter.fileName
        guard let handle = FileHandle(forReadingAtPath: manifest) else { return }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4 << 20)) ?? nil
        guard let head, let end = head.firstIndex(of: 0x0A),
            case .header(let recorded)? = try? ManifestReader.line(Array(head[..<end]))
        else { return }  // ScanResume.prepare says what is wrong with the manifest
        guard recorded.plugins.filter({ $0.external != nil }) == plugins.filter({ $0.external != nil }) else {
            throw CommandLineError(
                "--resume: the external plugins are not the ones the interrupted scan ran (an executable's SHA-256 or a declaration changed); start a new scan")
        }
    }

    /// The folder under the scan's output folder where plugin processes work.
    static func workFolder(in output: String) -> String { output + "/.plugin-work" }

    /// Ends every plugin's processes and removes their working folder.
    static func shutdown(_ plugins: [ExternalPlugin], output: String) {
        for plugin in plugins { plugin.host.shutdown() }
        rmdir(workFolder(in: output))
    }

    /// The summary lines about external plugins: failures and switch-offs, counts only.
    static func summaryLines(_ plugins: [ExternalPlugin]) -> [String] {
        plugins.compactMap { plugin in
            let host = plugin.host
            let name = host.declaration.name
            if host.switchedOff {
                return "  plugin \(name): SWITCHED OFF after \(host.switchOffAfter) failures in a row (\(host.failures) failed, \(host.skippedItems) not sent)"
            }
            return host.failures > 0 ? "  plugin \(name): \(host.failures) item(s) failed (crash, hang or protocol error)" : nil
        }
    }
}
