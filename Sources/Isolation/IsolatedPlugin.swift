import BlindfoldCore

/// Runs a whole-item plugin in decoder workers instead of in the scanner: the shared
/// ``WholeItemSession`` collects the item's bytes here (under the plugin's size cap) and a
/// worker decodes and hashes them, so a decoder that crashes, hangs or runs out of memory costs
/// one item's perceptual hashes, never the scan.
public struct IsolatedPlugin: WholeItemPlugin {
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
}
