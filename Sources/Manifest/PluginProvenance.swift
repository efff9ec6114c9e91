import BlindfoldCore

extension HashPluginDescriptor {
    /// The plugin's entry in the header's `plugins`: `{"id":"pdq","version":"1"}`, plus
    /// `"options":{"dihedral":false,"fast":true}` when it has options that change its output,
    /// so every hash can be traced to the exact computation that made it.
    public var provenanceJSON: JSONValue {
        var plugin = JSONObjectBuilder()
        plugin.add("id", id)
        plugin.add("version", version)
        let recorded = outputOptions
        if !recorded.isEmpty {
            var options = JSONObjectBuilder()
            for option in recorded { options.add(option.name, option.value.json) }
            plugin.add("options", options.value)
        }
        return plugin.value
    }
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
