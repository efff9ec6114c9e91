import BlindfoldCore
import CryptoHashes
import Isolation
import PDQ
import PHash
import Signals
import VPDQ

/// The one place that lists the concrete plugins compiled into this binary.
enum PluginCatalog {
    /// Which optional plugins run, and how.
    struct Selection {
        /// PDQ's options, or nil to leave PDQ out.
        var pdq: PDQOptions? = PDQOptions()
        /// Whether ImageHash's pHash runs.
        var phash = false
        /// The image pixel limit for the perceptual plugins.
        var maxPixels = ScanLimits().imagePixels
        /// vPDQ's interval in seconds (0: every frame), or nil to leave vPDQ out.
        var vpdqInterval: Int? = 1
        /// The most bytes of a video held in memory for vPDQ (archive members).
        var vpdqMemoryBytes = Int(HashPluginDescriptor.standardWholeItemCap)
        /// The seconds of each video hashed in a triage's first pass.
        var vpdqFirstSeconds = 30

        /// vPDQ as selected (whether or not the scan runs it).
        func vpdq(interval: Int) -> VPDQPlugin {
            VPDQPlugin(secondsPerHash: interval, maxPixels: maxPixels, memoryBytes: vpdqMemoryBytes, firstSeconds: vpdqFirstSeconds)
        }
    }

    /// The digest plugins, which `verify` runs again on the evidence.
    static let digests: [any HashPlugin] = CryptoHashes.all
    /// The plugin that digests a manifest for its sidecar check and the report.
    static let manifestDigest: any HashPlugin = CryptoHashes.sha256

    /// Every plugin the selection asks for, in the order their values appear in the manifest:
    /// digests first, then the perceptual hashes.
    static func plugins(_ selection: Selection) -> [any HashPlugin] {
        var plugins: [any HashPlugin] = CryptoHashes.all
        if let pdq = selection.pdq { plugins.append(PDQPlugin(options: pdq)) }
        if selection.phash { plugins.append(PHashPlugin(maxPixels: selection.maxPixels)) }
        if let interval = selection.vpdqInterval {
            plugins.append(selection.vpdq(interval: interval))
        }
        return plugins
    }

    /// Every whole-item plugin, built with the selection's options whether or not the scan runs
    /// it: what a decoder worker serves (the scanner only asks for the ones it runs).
    static func workerPlugins(_ selection: Selection) -> [any WholeItemPlugin] {
        [PDQPlugin(options: selection.pdq ?? PDQOptions(maxPixels: selection.maxPixels)),
         PHashPlugin(maxPixels: selection.maxPixels),
         selection.vpdq(interval: selection.vpdqInterval ?? 1)]
    }

    /// Every option a plugin of this binary declares, for the command line's help and checks.
    static var declaredOptions: [PluginOption] { PDQPlugin.Option.all + VPDQPlugin.Option.all }

    /// `registry` with the external plugins after its own (their values come last in `hashes`).
    static func adding(_ externals: [any HashPlugin], to registry: PluginRegistry) throws -> PluginRegistry {
        do {
            return try PluginRegistry(registry.plugins + externals)
        } catch {
            throw CommandLineError("plugin registry: \(error)")
        }
    }

    /// The registry of the selected plugins; a duplicate id is a start-up error. With `workers`,
    /// whole-item (decoding) plugins run in decoder worker processes.
    static func registry(_ selection: Selection = Selection(), workers: WorkerPool? = nil) throws -> PluginRegistry {
        var plugins = plugins(selection)
        if let workers {
            plugins = plugins.map { plugin in
                plugin.descriptor.inputMode == .wholeItem ? IsolatedPlugin(plugin, pool: workers) : plugin
            }
        }
        do {
            return try PluginRegistry(plugins)
        } catch {
            throw CommandLineError("plugin registry: \(error)")
        }
    }
}
