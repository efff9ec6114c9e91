/// A JSON value whose objects keep their key order, so the manifest's lines are byte-stable.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// The compact serialisation (no spaces, keys in insertion order, UTF-8 as is, control
    /// characters escaped).
    public var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Appends the compact serialisation to `output`.
    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value):
            output += value.isFinite ? String(format3: value) : "null"
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.key, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f || (0x2028...0x2029).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized == rhs.serialized }
    public func hash(into hasher: inout Hasher) { hasher.combine(serialized) }
}

extension String {
    /// A double with at most three decimals and no exponent (durations, rates).
    init(format3 value: Double) {
        let scaled = (value * 1000).rounded()
        let whole = Int64(scaled / 1000)
        let fraction = Int64(abs(scaled.truncatingRemainder(dividingBy: 1000)))
        var text = (value < 0 && whole == 0 ? "-" : "") + String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        self = text
    }
}

/// Builds an ordered JSON object, skipping nil values.
public struct JSONObjectBuilder {
    /// The members so far.
    public private(set) var members: [(key: String, value: JSONValue)] = []

    /// An empty object.
    public init() {}

    /// Appends `key: value`.
    public mutating func add(_ key: String, _ value: JSONValue) { members.append((key, value)) }
    /// Appends a string when present.
    public mutating func add(_ key: String, _ value: String?) { if let value { add(key, .string(value)) } }
    /// Appends an integer when present.
    public mutating func add(_ key: String, _ value: Int64?) { if let value { add(key, .int(value)) } }
    /// Appends an integer when present.
    public mutating func add(_ key: String, _ value: Int?) { if let value { add(key, .int(Int64(value))) } }
    /// Appends a Boolean when present.
    public mutating func add(_ key: String, _ value: Bool?) { if let value { add(key, .bool(value)) } }

    /// The object.
    public var value: JSONValue { .object(members) }
    /// The members as fields (an ordered options list).
    public var fields: [JSONField] { members.map { JSONField($0.key, $0.value) } }
}
