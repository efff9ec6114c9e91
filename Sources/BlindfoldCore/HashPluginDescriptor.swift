/// Everything about a plugin that is known before any item is read.
public struct HashPluginDescriptor: Sendable, Hashable {
    /// How a plugin consumes an item.
    public enum InputMode: String, Sendable, Hashable {
        /// Chunk by chunk, in constant memory (digests).
        case streaming
        /// The whole item at once, up to ``HashPluginDescriptor/sizeCap`` (image decoders).
        case wholeItem = "whole-item"
    }

    /// Stable id, also the key of its value in the manifest (`md5`, `sha256`, `pdq`).
    public var id: String
    /// The plugin's version; a change in output for the same input needs a new version.
    public var version: String
    /// One line for `blindfold plugins`.
    public var summary: String
    /// Which items it runs on.
    public var accepts: MIMEFilter
    /// Items larger than this are not given to the plugin (nil: no cap).
    public var sizeCap: Int64?
    /// Streaming or whole-item.
    public var inputMode: InputMode
    /// The keys it writes under `hashes`.
    public var outputKeys: [String]

    /// A descriptor from its parts.
    public init(
        id: String, version: String, summary: String, accepts: MIMEFilter = .all,
        sizeCap: Int64? = nil, inputMode: InputMode = .streaming, outputKeys: [String]? = nil
    ) {
        self.id = id
        self.version = version
        self.summary = summary
        self.accepts = accepts
        self.sizeCap = sizeCap
        self.inputMode = inputMode
        self.outputKeys = outputKeys ?? [id]
    }

    /// True when the plugin should run on an item of this MIME type and size.
    public func applies(to item: ItemContext) -> Bool {
        if let cap = sizeCap, let size = item.size, size > cap { return false }
        return accepts.accepts(item.mime)
    }
}
