/// The members of a manifest object that the typed reader did not take (fields added by a
/// later version, a value it cannot represent exactly), with their positions, so that writing
/// the typed value back puts every one where it was and nothing read is lost.
public struct PreservedFields: Sendable, Hashable {
    /// A member and its index in the object it was read from.
    public struct Field: Sendable, Hashable {
        /// The member's index in the original object.
        public var position: Int
        /// The member.
        public var field: JSONField
    }

    /// The members, in their original order.
    public var fields: [Field] = []

    /// No members.
    public init() {}

    /// True when nothing was preserved.
    public var isEmpty: Bool { fields.isEmpty }

    /// The preserved value of `key`, if any.
    public subscript(key: String) -> JSONValue? { fields.first { $0.field.key == key }?.field.value }

    /// `object` (a typed value's encoding) with the preserved members put back at their
    /// original positions.
    public func merged(into object: JSONValue) -> JSONValue {
        guard !fields.isEmpty, case .object(var members) = object else { return object }
        for preserved in fields {
            members.insert((preserved.field.key, preserved.field.value), at: Swift.min(preserved.position, members.count))
        }
        return .object(members)
    }
}
