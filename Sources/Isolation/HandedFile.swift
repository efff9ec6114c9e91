import BlindfoldCore
import Glibc

/// The check a decoder worker makes of a descriptor it was handed before any plugin reads it:
/// a regular file, open read-only. A descriptor open for writing (or anything else) is refused,
/// closed and never read, so even a scanner bug cannot give a worker a way to change evidence.
enum HandedFile {
    /// Why `descriptor` is refused, or nil when it is a regular file open `O_RDONLY`.
    static func refusal(_ descriptor: Int32) -> PluginFailure? {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0 else {
            return PluginFailure(status: .unreadable, reason: "the descriptor handed to the worker is not open")
        }
        guard flags & O_ACCMODE == O_RDONLY else {
            return PluginFailure(status: .unsupported, reason: "the descriptor handed to the worker is open for writing: refused")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return PluginFailure(status: .unsupported, reason: "the descriptor handed to the worker is not a regular file: refused")
        }
        return nil
    }

    /// The outcome of `plugin` for the file open on `descriptor`, after the check; the worker
    /// closes the descriptor afterwards whatever happened.
    static func outcome(of plugin: any WholeItemPlugin, descriptor: Int32, context: ItemContext) -> PluginOutcome {
        defer { close(descriptor) }
        if let refusal = refusal(descriptor) { return .failure(refusal) }
        guard let reader = plugin as? any DescriptorReadingPlugin, reader.readsDescriptors else {
            return .failure(PluginFailure(status: .unsupported, reason: "the plugin '\(plugin.descriptor.id)' does not read files from a descriptor"))
        }
        return reader.outcome(forDescriptor: descriptor, context: context)
    }
}
