import BlindfoldCore
import Evidence

/// A container format whose parser runs in container workers: it recognises items as `inner`
/// does, in the scanner, and opens them as a ``ContainerProxy`` to a worker running `inner`'s
/// parser (the one the worker knows as `id`). Nothing else in the pipeline changes.
public struct IsolatedContainerFormat: ContainerFormat {
    /// The format as the scanner would run it in-process (used here for recognition only).
    public let inner: any ContainerFormat
    /// The parser's name in the container worker (`archive`).
    public let id: String
    /// The workers.
    public let pool: ContainerWorkerPool

    /// `inner`, parsed in workers from `pool` that know it as `id`.
    public init(_ inner: any ContainerFormat, id: String, pool: ContainerWorkerPool) {
        self.inner = inner
        self.id = id
        self.pool = pool
    }

    public func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        inner.access(mime: mime, head: head)
    }

    public func claims(memory: UnsafeRawBufferPointer) -> Bool {
        inner.claims(memory: memory)
    }

    public func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        try ContainerProxy(pool: pool, formatID: id, bytes: bytes)
    }
}
