import Manifest

/// A plugin's JSON message as fields by name.
enum PluginMessage {
    /// The members of an object by key, or nil when a key appears twice (a repeated field is a
    /// broken rule: which of the two would count is not the scanner's guess to make).
    static func fields(_ members: [(key: String, value: JSONValue)]) -> [String: JSONValue]? {
        var fields: [String: JSONValue] = [:]
        for member in members {
            guard fields.updateValue(member.value, forKey: member.key) == nil else { return nil }
        }
        return fields
    }
}
