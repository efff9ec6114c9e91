/// The evidence file an item is, opened read-only by the scanner. A plugin that reads the file
/// itself (a video decoder, which seeks) is lent this descriptor instead of being handed the
/// item's bytes, so a file of any size is read without being buffered whole and without any
/// path being opened again.
public protocol ItemFile: AnyObject {
    /// Calls `body` with the scanner's read-only descriptor of the file. The descriptor is valid
    /// only during the call, must not be closed, and is never written (it is `O_RDONLY`).
    func withReadOnlyDescriptor<Result>(_ body: (Int32) -> Result) -> Result
}

/// A whole-item plugin that can read an item which is a file on disk from its descriptor (with
/// `pread`, at any offset) instead of from the buffered bytes. Items in memory (archive
/// members) still come through ``WholeItemPlugin/outcome(for:context:)`` under the size cap.
public protocol DescriptorReadingPlugin: WholeItemPlugin {
    /// True when files on disk go to ``outcome(forDescriptor:context:)`` (a wrapper answers for
    /// the plugin it wraps).
    var readsDescriptors: Bool { get }

    /// What the plugin concludes about the file open on `descriptor` (read-only; the caller
    /// owns and closes it; its offset must not be relied on: read with `pread`).
    func outcome(forDescriptor descriptor: Int32, context: ItemContext) -> PluginOutcome
}

extension DescriptorReadingPlugin {
    public var readsDescriptors: Bool { true }
}

/// The session of a ``DescriptorReadingPlugin`` for an item that is a file on disk: it keeps
/// none of the chunks the scanner reads (the digests take them) and, at the end, lends the
/// plugin the file's descriptor. Memory stays constant whatever the file's size.
public final class DescriptorSession: HashSession {
    private let plugin: any DescriptorReadingPlugin
    private let file: any ItemFile
    private let context: ItemContext

    /// A session of `plugin` that will read `file`.
    public init(plugin: any DescriptorReadingPlugin, file: any ItemFile, context: ItemContext) {
        self.plugin = plugin
        self.file = file
        self.context = context
    }

    /// The bytes are read again from the descriptor at the end; nothing is kept.
    public func update(_ chunk: UnsafeRawBufferPointer) {}

    public func finish() -> PluginOutcome {
        file.withReadOnlyDescriptor { descriptor in plugin.outcome(forDescriptor: descriptor, context: context) }
    }
}
