import BlindfoldCore

extension ScanHeader.Plugin {
    /// The plugin's entry in the header's `plugins`: `{"id":"pdq","version":"1"}`, plus
    /// `"options":{"dihedral":false,"fast":true}` when it has options that change its output,
    /// so every hash can be traced to the exact computation that made it.
    public init(_ descriptor: HashPluginDescriptor) {
        self.init(
            id: descriptor.id, version: descriptor.version,
            options: descriptor.outputOptions.map { JSONField($0.name, $0.value.json) })
    }
}

extension HashPluginDescriptor {
    /// The plugin's header entry as JSON (see ``ScanHeader/Plugin/init(_:)``).
    public var provenanceJSON: JSONValue { ScanHeader.Plugin(self).manifestJSON }
}

extension OptionValue {
    /// The value as JSON: a boolean, a number or a string.
    public var json: JSONValue {
        switch self {
        case .bool(let value): .bool(value)
        case .integer(let value): .int(Int64(value))
        case .text(let value): .string(value)
        }
    }
}
