import BlindfoldCore
import CryptoHashes

/// The one place that lists the concrete plugins compiled into this binary.
enum PluginCatalog {
    /// Every plugin, in the order their values appear in the manifest.
    static let plugins: [any HashPlugin] = CryptoHashes.all

    /// The registry of every plugin; a duplicate id is a start-up error.
    static func registry() throws -> PluginRegistry {
        do {
            return try PluginRegistry(plugins)
        } catch {
            throw CommandLineError("plugin registry: \(error)")
        }
    }
}
