import BlindfoldCore

/// Runs a whole-item plugin in decoder workers instead of in the scanner: the shared
/// ``WholeItemSession`` collects the item's bytes here (under the plugin's size cap) and a
/// worker decodes and hashes them, so a decoder that crashes, hangs or runs out of memory costs
/// one item's perceptual hashes, never the scan. When the inner plugin reads descriptors (vPDQ),
/// a file on disk is not collected at all: the worker is handed the scanner's read-only
/// descriptor and reads the file itself.
public struct IsolatedPlugin: DescriptorReadingPlugin {
    /// The plugin the workers run (the same one, built from the same options, in each worker).
    public let inner: any HashPlugin
    /// The workers.
    public let pool: WorkerPool

    /// `inner`, run through `pool`.
    public init(_ inner: any HashPlugin, pool: WorkerPool) {
        self.inner = inner
        self.pool = pool
    }

    public var descriptor: HashPluginDescriptor { inner.descriptor }

    /// The worker's outcome for the item's bytes.
    public func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome {
        let descriptor = inner.descriptor
        return pool.run(plugin: descriptor.id, identity: descriptor.identity, context: context, payload: bytes)
    }

    /// True when the plugin the workers run reads files from their descriptor.
    public var readsDescriptors: Bool { (inner as? any DescriptorReadingPlugin)?.readsDescriptors ?? false }

    /// The worker's outcome for the file open on `descriptor`, handed to it over its socket.
    public func outcome(forDescriptor descriptor: Int32, context: ItemContext) -> PluginOutcome {
        let plugin = inner.descriptor
        return pool.run(plugin: plugin.id, identity: plugin.identity, context: context, descriptor: descriptor)
    }
}
