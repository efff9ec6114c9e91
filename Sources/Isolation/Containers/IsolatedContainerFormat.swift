import BlindfoldCore
import Evidence

/// A container format whose parser runs in container workers: it recognises items as `inner`
/// does, in the scanner, and opens them as a ``ContainerProxy`` to a worker running `inner`'s
/// parser (the one the worker knows as `id`). Nothing else in the pipeline changes.
public struct IsolatedContainerFormat: ContainerFormat {
    /// The format as the scanner would run it in-process (used here for recognition only).
    public let inner: any ContainerFormat
    /// The parser's name in the container worker (`archive`, `disk-image`).
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

    public var parsingFormat: any ContainerFormat { inner.parsingFormat }

    public func claims(memory: UnsafeRawBufferPointer) -> Bool {
        inner.claims(memory: memory)
    }

    public func claims(random: any RandomAccessInput) -> Bool {
        inner.claims(random: random)
    }

    /// A stream goes block by block to one worker; bytes in memory go whole to a worker, and
    /// to a fresh one when a disk image's worker is lost and the partitions after the fault
    /// are still to be read (``PartitionResumingProxy``).
    public func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        guard case .memory = bytes else { return try ContainerProxy(pool: pool, formatID: id, bytes: bytes) }
        return try PartitionResumingProxy { [pool, id] (skip: Int?) throws(ItemReadError) in
            try ContainerProxy(pool: pool, formatID: id, bytes: bytes, skipThrough: skip)
        }
    }

    /// A file on disk (a disk image): the worker is handed its read-only descriptors, never a
    /// path, and reads them with `pread`.
    public func open(random: any RandomAccessInput) throws(ItemReadError) -> any Container {
        // Every file of the item (an E01's or a split image's segments, opened beside it by the
        // scanner), kept open for as long as the proxy may start a fresh worker on them.
        let parts = try inner.files(of: random)
        var files: [DescriptorSegment] = []
        for part in parts {
            guard let backed = part as? any DescriptorBackedInput else {
                throw ItemReadError(status: .unsupported, reason: "the container's parser runs in a worker, which reads files on disk only")
            }
            files += backed.files
        }
        return try PartitionResumingProxy { [pool, id, parts] (skip: Int?) throws(ItemReadError) in
            withExtendedLifetime(parts) {}
            return try ContainerProxy(pool: pool, formatID: id, files: files, skipThrough: skip)
        }
    }
}
