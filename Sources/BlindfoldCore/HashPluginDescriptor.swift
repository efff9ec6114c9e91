/// Everything about a plugin that is known before any item is read.
public struct HashPluginDescriptor: Sendable, Hashable {
    /// How a plugin consumes an item.
    public enum InputMode: String, Sendable, Hashable {
        /// Chunk by chunk, in constant memory (digests).
        case streaming
        /// The whole item at once, up to ``HashPluginDescriptor/sizeCap`` (image decoders).
        case wholeItem = "whole-item"
    }

    /// The size cap of a whole-item plugin that declares none: the most bytes of one item held
    /// in memory for it. Defined here only.
    public static let standardWholeItemCap: Int64 = 256 << 20

    /// Stable id, also the key of its value in the manifest (`md5`, `sha256`, `pdq`).
    public var id: String
    /// The plugin's version; a change in output for the same input needs a new version.
    public var version: String
    /// One line for `blindfold plugins`.
    public var summary: String
    /// Which items it runs on.
    public var accepts: MIMEFilter
    /// The largest item the plugin takes. For a whole-item plugin, the most bytes buffered for
    /// it: a larger item is not hashed and gets a `limit` plugin error (see
    /// ``WholeItemSession``), so the examiner sees what was left out. A streaming plugin with a
    /// cap simply does not apply to larger items (no value, no error); by default it has none.
    public var sizeCap: Int64?
    /// Streaming or whole-item.
    public var inputMode: InputMode
    /// The keys it writes under `hashes`.
    public var outputKeys: [String]
    /// The options it declares, in a fixed order.
    public var options: [PluginOption]
    /// The values in effect for this instance, by option name (an option missing here has its
    /// default).
    public var settings: [String: OptionValue]

    /// A descriptor from its parts. A whole-item plugin without a `sizeCap` gets
    /// ``standardWholeItemCap``.
    public init(
        id: String, version: String, summary: String, accepts: MIMEFilter = .all,
        sizeCap: Int64? = nil, inputMode: InputMode = .streaming, outputKeys: [String]? = nil,
        options: [PluginOption] = [], settings: [String: OptionValue] = [:]
    ) {
        self.id = id
        self.version = version
        self.summary = summary
        self.accepts = accepts
        self.sizeCap = sizeCap ?? (inputMode == .wholeItem ? Self.standardWholeItemCap : nil)
        self.inputMode = inputMode
        self.outputKeys = outputKeys ?? [id]
        self.options = options
        self.settings = settings
    }

    /// True when the plugin should run on an item of this MIME type and size. A whole-item
    /// plugin runs whatever the size: its session reports an oversized item as `limit`.
    public func applies(to item: ItemContext) -> Bool {
        if inputMode == .streaming, let cap = sizeCap, let size = item.size, size > cap { return false }
        return accepts.accepts(item.mime)
    }

    /// The value in effect for `option`.
    public func value(of option: PluginOption) -> OptionValue {
        settings[option.name] ?? option.defaultValue
    }

    /// The options that change output, with their values: with ``version``, the plugin's
    /// recorded identity (the header's plugin entry).
    public var outputOptions: [(name: String, value: OptionValue)] {
        options.filter(\.changesOutput).map { ($0.name, value(of: $0)) }
    }

    /// The identity as one string, `version` then `;name=value` per output-changing option
    /// (`1;dihedral=false;fast=true`): what a decoder worker must compute to match the header.
    public var identity: String {
        ([version] + outputOptions.map { "\($0.name)=\($0.value)" }).joined(separator: ";")
    }

    /// The command-line words that recreate this instance's non-default settings.
    public var optionArguments: [String] {
        options.flatMap { $0.arguments(for: value(of: $0)) }
    }
}
