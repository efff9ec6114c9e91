/// One member of a JSON object: a name and its value (a scan option, a plugin option, a field
/// the reader did not know).
public struct JSONField: Sendable, Hashable {
    /// The member's name.
    public var key: String
    /// Its value.
    public var value: JSONValue

    /// A field from its parts.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension [JSONField] {
    /// The fields as one JSON object, in order.
    public var jsonObject: JSONValue { .object(map { ($0.key, $0.value) }) }
}
