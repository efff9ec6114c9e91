/// The plugins of one run, built explicitly at start-up from a static list.
public struct PluginRegistry: Sendable {
    /// The plugins in registration order (which is also their order in the manifest).
    public let plugins: [any HashPlugin]

    /// A registry of `plugins`; two plugins with one id, or two writing one output key, are an error.
    public init(_ plugins: [any HashPlugin]) throws(PluginRegistryError) {
        var ids: Set<String> = []
        var keys: Set<String> = []
        for plugin in plugins {
            let descriptor = plugin.descriptor
            guard !descriptor.id.isEmpty else { throw .emptyID }
            guard ids.insert(descriptor.id).inserted else { throw .duplicateID(descriptor.id) }
            for key in descriptor.outputKeys {
                guard keys.insert(key).inserted else { throw .duplicateOutputKey(key) }
            }
        }
        self.plugins = plugins
    }

    /// The descriptors in registration order.
    public var descriptors: [HashPluginDescriptor] { plugins.map(\.descriptor) }

    /// A registry with only the plugins whose ids are listed (order kept); unknown ids are an error.
    public func selecting(_ ids: [String]) throws(PluginRegistryError) -> PluginRegistry {
        let known = Set(descriptors.map(\.id))
        for id in ids where !known.contains(id) { throw .unknownID(id) }
        return try PluginRegistry(plugins.filter { ids.contains($0.descriptor.id) })
    }
}

/// A plugin list that cannot form a registry.
public enum PluginRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Two plugins share an id.
    case duplicateID(String)
    /// Two plugins write the same output key.
    case duplicateOutputKey(String)
    /// A plugin has an empty id.
    case emptyID
    /// A requested plugin id is not registered.
    case unknownID(String)

    public var description: String {
        switch self {
        case .duplicateID(let id): "two plugins are registered with the id '\(id)'"
        case .duplicateOutputKey(let key): "two plugins write the output key '\(key)'"
        case .emptyID: "a plugin has an empty id"
        case .unknownID(let id): "no plugin has the id '\(id)' (see 'blindfold plugins')"
        }
    }
}
