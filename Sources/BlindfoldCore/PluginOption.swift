/// One tunable of a plugin, declared once by the plugin: the command line, the decoder workers'
/// arguments and the manifest header's plugin entry are all generated from it.
public struct PluginOption: Sendable, Hashable {
    /// The option's name in the header's plugin entry (`fast`).
    public var name: String
    /// The long command-line flag, without dashes (`pdq-fast`).
    public var flag: String
    /// The value when the flag is not given; its case is the option's type.
    public var defaultValue: OptionValue
    /// One sentence for `--help`.
    public var help: String
    /// True when the option changes what the plugin outputs for the same input: such an option
    /// is part of the plugin's recorded identity, so a hash can be traced to its computation.
    public var changesOutput: Bool

    /// An option from its parts.
    public init(name: String, flag: String, defaultValue: OptionValue, help: String, changesOutput: Bool) {
        self.name = name
        self.flag = flag
        self.defaultValue = defaultValue
        self.help = help
        self.changesOutput = changesOutput
    }

    /// The command-line words that set `value` (none when it is the default): `--flag` for a
    /// switched-on boolean, `--flag VALUE` otherwise.
    public func arguments(for value: OptionValue) -> [String] {
        guard value != defaultValue else { return [] }
        switch value {
        case .bool(let on): return on ? ["--" + flag] : ["--no-" + flag]
        case .integer(let number): return ["--" + flag, String(number)]
        case .text(let text): return ["--" + flag, text]
        }
    }
}

/// The value of a plugin option (or of a signal's setting in the header).
public enum OptionValue: Sendable, Hashable, CustomStringConvertible {
    /// A switch.
    case bool(Bool)
    /// A whole number.
    case integer(Int)
    /// A short text.
    case text(String)

    public var description: String {
        switch self {
        case .bool(let value): String(value)
        case .integer(let value): String(value)
        case .text(let value): value
        }
    }
}
