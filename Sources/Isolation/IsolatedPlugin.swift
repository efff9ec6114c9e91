import BlindfoldCore
import ImageDecoding

/// Runs a whole-item plugin in decoder workers instead of in the scanner: the session collects
/// the item's bytes here and the worker decodes and hashes them, so a decoder that crashes,
/// hangs or runs out of memory costs one item's perceptual hashes, never the scan.
public struct IsolatedPlugin: HashPlugin {
    /// The plugin the workers run (the same one, built from the same options, in each worker).
    public let inner: any HashPlugin
    /// The workers.
    public let pool: WorkerPool
    /// Items larger than this are not sent; they get `limit`.
    public let maxPayloadBytes: Int

    /// `inner`, run through `pool`.
    public init(_ inner: any HashPlugin, pool: WorkerPool, maxPayloadBytes: Int = 256 << 20) {
        self.inner = inner
        self.pool = pool
        self.maxPayloadBytes = maxPayloadBytes
    }

    public var descriptor: HashPluginDescriptor { inner.descriptor }

    public func makeSession(for item: ItemContext) -> (any HashSession)? {
        IsolatedSession(plugin: inner.descriptor.id, context: item, pool: pool,
                        buffer: ImageBuffer(cap: maxPayloadBytes, expected: item.size))
    }
}

/// Collects one item's bytes and hands them to a worker at the end.
final class IsolatedSession: HashSession {
    private let plugin: String
    private let context: ItemContext
    private let pool: WorkerPool
    private var buffer: ImageBuffer

    init(plugin: String, context: ItemContext, pool: WorkerPool, buffer: ImageBuffer) {
        self.plugin = plugin
        self.context = context
        self.pool = pool
        self.buffer = buffer
    }

    func update(_ chunk: UnsafeRawBufferPointer) { buffer.append(chunk) }

    func finish() -> PluginOutcome {
        guard let payload = buffer.contents else { return .failure(buffer.overflowFailure) }
        return pool.run(plugin: plugin, context: context, payload: payload)
    }
}
