/// Takes the members of one parsed manifest object by name for a typed value, and keeps the
/// members nobody took (with their positions) as ``PreservedFields``.
///
/// Type errors name the field, never its value.
struct JSONObjectReader {
    private let members: [(key: String, value: JSONValue)]
    private var taken: [Bool]
    /// What the object is, for error messages (`item record`, `scan header`).
    let what: String

    /// A reader over `value`, which must be an object.
    init(_ value: JSONValue, what: String) throws(ManifestReadError) {
        guard case .object(let members) = value else {
            throw ManifestReadError(.invalidRecord, "not a valid \(what): not an object")
        }
        self.members = members
        self.taken = Array(repeating: false, count: members.count)
        self.what = what
    }

    /// An error about `key`.
    func invalid(_ key: String, _ problem: String) -> ManifestReadError {
        ManifestReadError(.invalidRecord, "not a valid \(what): '\(key)' \(problem)")
    }

    /// The first member named `key` not taken yet, now taken.
    mutating func take(_ key: String) -> JSONValue? {
        guard let index = members.indices.first(where: { !taken[$0] && members[$0].key == key }) else { return nil }
        taken[index] = true
        return members[index].value
    }

    /// True when a member named `key` is there and not taken yet.
    func hasMember(_ key: String) -> Bool {
        members.indices.contains { !taken[$0] && members[$0].key == key }
    }

    /// Gives the member named `key` back, to be preserved as it was (a value the typed form
    /// cannot represent exactly).
    mutating func giveBack(_ key: String) {
        if let index = members.indices.first(where: { taken[$0] && members[$0].key == key }) {
            taken[index] = false
        }
    }

    /// The members nobody took.
    var preserved: PreservedFields {
        var result = PreservedFields()
        for index in members.indices where !taken[index] {
            result.fields.append(.init(position: index, field: JSONField(members[index].key, members[index].value)))
        }
        return result
    }

    mutating func string(_ key: String) throws(ManifestReadError) -> String? {
        switch take(key) {
        case nil: return nil
        case .string(let text)?: return text
        default: throw invalid(key, "is not a string")
        }
    }

    mutating func int(_ key: String) throws(ManifestReadError) -> Int64? {
        switch take(key) {
        case nil: return nil
        case .int(let number)?: return number
        default: throw invalid(key, "is not an integer")
        }
    }

    mutating func double(_ key: String) throws(ManifestReadError) -> Double? {
        switch take(key) {
        case nil: return nil
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: throw invalid(key, "is not a number")
        }
    }

    mutating func bool(_ key: String) throws(ManifestReadError) -> Bool? {
        switch take(key) {
        case nil: return nil
        case .bool(let flag)?: return flag
        default: throw invalid(key, "is not true or false")
        }
    }

    mutating func array(_ key: String) throws(ManifestReadError) -> [JSONValue]? {
        switch take(key) {
        case nil: return nil
        case .array(let elements)?: return elements
        default: throw invalid(key, "is not an array")
        }
    }

    /// The members of the object under `key`, in order.
    mutating func members(_ key: String) throws(ManifestReadError) -> [(key: String, value: JSONValue)]? {
        switch take(key) {
        case nil: return nil
        case .object(let members)?: return members
        default: throw invalid(key, "is not an object")
        }
    }

    /// A reader over the object under `key`.
    mutating func object(_ key: String) throws(ManifestReadError) -> JSONObjectReader? {
        guard let value = take(key) else { return nil }
        return try JSONObjectReader(value, what: "\(what) ('\(key)')")
    }

    /// `value`, which must be there.
    func required<Value>(_ key: String, _ value: Value?) throws(ManifestReadError) -> Value {
        guard let value else { throw invalid(key, "is missing") }
        return value
    }

    /// The strings of an array.
    func strings(_ key: String, _ elements: [JSONValue]) throws(ManifestReadError) -> [String] {
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw invalid(key, "holds something other than strings") }
            result.append(text)
        }
        return result
    }
}
