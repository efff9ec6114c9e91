/// The one buffering session of every whole-item plugin: collects the item's bytes up to the
/// plugin's size cap, then hands them to the plugin once.
///
/// An item whose bytes pass the cap is dropped at once and finishes as a `limit` failure naming
/// the cap, so memory stays bounded and the examiner sees which items the plugin left out. The
/// declared size only sizes the first allocation: an archive member's header may lie, and a
/// lie must not keep an image from being hashed.
public final class WholeItemSession: HashSession {
    private let plugin: any WholeItemPlugin
    private let context: ItemContext
    /// The most bytes kept.
    public let cap: Int
    private var bytes: [UInt8] = []
    private var overflowed = false

    /// A session of `plugin` for the item `context` describes.
    public init(plugin: any WholeItemPlugin, context: ItemContext) {
        self.plugin = plugin
        self.context = context
        cap = Int(clamping: max(0, plugin.descriptor.sizeCap ?? HashPluginDescriptor.standardWholeItemCap))
        // Reserve modestly for the declared size and grow as read.
        if let expected = context.size, expected > 0 { bytes.reserveCapacity(Int(min(expected, Int64(min(cap, 16 << 20))))) }
    }

    public func update(_ chunk: UnsafeRawBufferPointer) {
        guard !overflowed else { return }
        guard chunk.count <= cap - bytes.count else {
            overflowed = true
            bytes = []
            return
        }
        bytes.append(contentsOf: chunk)
    }

    public func finish() -> PluginOutcome {
        if overflowed { return .failure(Self.overCap(cap)) }
        defer { bytes = [] }
        return plugin.outcome(for: bytes, context: context)
    }

    /// The failure of an item larger than `cap`.
    public static func overCap(_ cap: Int) -> PluginFailure {
        PluginFailure(status: .limit, reason: "the item is larger than the plugin's size cap of \(cap) bytes")
    }
}
