import BlindfoldCore
import Manifest

/// An executable that speaks `blindfold-plugin/1`, as a hash plugin: its declared name is the
/// plugin's id, its declared outputs the keys it writes, its `accepts` what it runs on.
///
/// It is a streaming plugin to the scanner: its session sends each chunk the item pass reads to
/// the plugin process as it arrives (see ``ExternalPluginSession``), so every byte is still
/// read once, files and archive members alike.
public struct ExternalPlugin: TracedPlugin {
    /// The running side: processes, ids, failures.
    public let host: ExternalPluginHost

    /// The plugin `host` runs.
    public init(host: ExternalPluginHost) { self.host = host }

    public var descriptor: HashPluginDescriptor {
        let declaration = host.declaration
        return HashPluginDescriptor(
            id: declaration.name, version: declaration.pluginVersion,
            summary: "external plugin (blindfold-plugin/1): \(host.launch.path)", accepts: declaration.filter,
            sizeCap: declaration.maxBytes, inputMode: .streaming, outputKeys: declaration.outputs.map(\.key))
    }

    /// Starts the plugin once, reads and checks its hello, ends it, and returns the plugin with
    /// that declaration and its executable's digest (the scan's processes start afresh). Every
    /// wait on its processes ends early once `shouldStop` answers true (the scan's interruption).
    public static func connect(
        _ launch: PluginLaunch, itemTimeout: Double, workParent: String, shouldStop: @escaping @Sendable () -> Bool = { false }
    ) throws(HandshakeProblem) -> ExternalPlugin {
        let digest = try launch.executableDigest()
        let started = try launch.start(workParent: workParent, shouldStop: shouldStop)
        started.instance.end(politely: true)
        return ExternalPlugin(host: ExternalPluginHost(
            launch: launch, declaration: started.declaration, executableSHA256: digest, itemTimeout: itemTimeout,
            workParent: workParent, shouldStop: shouldStop))
    }

    public func makeSession(for item: ItemContext) -> (any HashSession)? {
        ExternalPluginSession(host: host, context: item)
    }

    /// The header's record of this plugin: where its executable is, its SHA-256, and everything
    /// it declared, so every value can be traced to the exact file that produced it.
    public var provenance: JSONValue {
        var entry = JSONObjectBuilder()
        entry.add("protocol", "blindfold-plugin/1")
        entry.add("path", host.launch.path)
        entry.add("sha256", host.executableSHA256)
        entry.add("name", host.declaration.name)
        entry.add("plugin_version", host.declaration.pluginVersion)
        entry.add("outputs", host.declaration.outputsJSON)
        entry.add("accepts", host.declaration.acceptsJSON)
        return entry.value
    }
}
