/// A plugin that needs an item's bytes all at once (an image decoder, a video fingerprint, an
/// external program): it only says what it makes of them, and the one ``WholeItemSession``
/// does the buffering under the descriptor's ``HashPluginDescriptor/sizeCap``.
///
/// Whether it runs in the scanner or in a decoder worker is decided outside it: the worker
/// calls ``outcome(for:context:)`` with the bytes the scanner's session collected.
public protocol WholeItemPlugin: HashPlugin {
    /// What the plugin concludes about one item's complete bytes (never more than the cap).
    func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome
}

extension WholeItemPlugin {
    /// A buffering session for the item.
    public func makeSession(for item: ItemContext) -> (any HashSession)? {
        WholeItemSession(plugin: self, context: item)
    }
}
