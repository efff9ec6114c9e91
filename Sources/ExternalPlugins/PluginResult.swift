import BlindfoldCore
import Manifest

/// Reads a plugin's answer to one item and turns it into an outcome, checking everything
/// against the declaration. Nothing the plugin wrote is kept beyond its validated values: its
/// error message is dropped and its error kind mapped to a fixed sentence.
enum PluginResult {
    /// What the answer means for the item and for the process.
    enum Reading {
        /// A well-formed answer: the process stays in step and may serve the next item.
        case answered(PluginOutcome)
        /// The answer broke the protocol: the process is out of step and must be replaced.
        case violation(String)
    }

    /// The kinds of error a plugin may report, each with the sentence Blindfold records.
    static let errorKinds: [String: PluginFailure] = [
        "corrupt": PluginFailure(status: .corrupt, reason: "the plugin found the item corrupt"),
        "truncated": PluginFailure(status: .truncated, reason: "the plugin found the item truncated"),
        "unsupported": PluginFailure(status: .unsupported, reason: "the plugin does not support this item's format"),
        "limit": PluginFailure(status: .limit, reason: "the item exceeds one of the plugin's own limits"),
    ]

    /// The outcome of the answer `frame` to item `id`.
    static func read(_ frame: [UInt8], id: Int64, declaration: PluginDeclaration) -> Reading {
        guard let value = try? JSONValue(parsing: frame), case .object(let members) = value else {
            return .violation("its answer is not a JSON object")
        }
        guard let fields = PluginMessage.fields(members) else { return .violation("its answer repeats a field") }
        guard fields["type"] == .string("result") else { return .violation("its answer is not of type 'result'") }
        guard fields["id"] == .int(id) else { return .violation("its answer names another item's id") }
        let outputs = fields["outputs"]
        let notApplicable = fields["not_applicable"]
        let error = fields["error"]
        guard [outputs, notApplicable, error].compactMap({ $0 }).count == 1 else {
            return .violation("its answer has not exactly one of 'outputs', 'not_applicable' and 'error'")
        }
        if let notApplicable {
            guard notApplicable == .bool(true) else { return .violation("its 'not_applicable' is not true") }
            return .answered(.notApplicable)
        }
        if let error {
            guard case .object(let parts) = error, case .string(let kind)? = parts.first(where: { $0.key == "kind" })?.value,
                let failure = errorKinds[kind]
            else { return .violation("its 'error' has no kind among corrupt, truncated, unsupported and limit") }
            return .answered(.failure(failure))
        }
        guard case .object(let values)? = outputs else { return .violation("its 'outputs' is not an object") }
        var recorded: [HashOutput] = []
        for (key, raw) in values {
            guard let output = declaration.outputs.first(where: { $0.key == key }) else {
                return .violation("its answer holds a key it did not declare")
            }
            guard !recorded.contains(where: { $0.key == key }) else { return .violation("its answer repeats a key") }
            guard let value = output.kind.validate(raw) else {
                return .violation("its value for '\(key)' is not a valid \(output.kind.rawValue) value")
            }
            recorded.append(HashOutput(key: key, value: value))
        }
        // Declared order, whatever order the plugin wrote them in: manifest lines stay stable.
        let ordered = declaration.outputs.compactMap { output in recorded.first { $0.key == output.key } }
        return .answered(ordered.isEmpty ? .notApplicable : .values(ordered))
    }
}
