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

/// A plugin that is more than its descriptor: an external executable, traced in the header's
/// plugin entry under `external` (path, SHA-256, declaration).
public protocol TracedPlugin: HashPlugin {
    /// The entry's `external` object.
    var provenance: JSONValue { get }
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

extension ScanHeader {
    /// The output keys the external plugins declared, in plugin and declaration order (read
    /// from each entry's `external.outputs`).
    public var externalOutputKeys: [String] {
        plugins.compactMap(\.external).flatMap { external -> [String] in
            guard case .object(let members) = external,
                case .array(let outputs)? = members.first(where: { $0.key == "outputs" })?.value
            else { return [] }
            return outputs.compactMap { output in
                guard case .object(let parts) = output, case .string(let key)? = parts.first(where: { $0.key == "key" })?.value
                else { return nil }
                return key
            }
        }
    }
}
