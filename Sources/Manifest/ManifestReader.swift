import BlindfoldCore
import Foundation

/// Reads manifest lines back into values: the exporters, `verify` and `--resume` read the
/// manifest, never the evidence.
public enum ManifestReader {
    /// The JSON object of one line, or nil when the line is not a JSON object.
    public static func object(_ line: some Sequence<UInt8>) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
    }

    /// The item record of one `"record": "item"` line, or nil for any other line.
    public static func item(_ object: [String: Any]) -> ItemRecord? {
        guard object["record"] as? String == "item", let kindName = object["kind"] as? String,
            let kind = ItemKind(rawValue: kindName), let statusName = object["status"] as? String,
            let status = ItemStatus(rawValue: statusName)
        else { return nil }
        let layers = (object["layers"] as? [[String: Any]] ?? []).map { layer in
            VirtualPath.Layer(
                format: layer["format"] as? String ?? "",
                member: bytes(text: layer["member"] as? String, base64: layer["member_b64"] as? String))
        }
        let path = VirtualPath(
            rootIndex: (object["root"] as? NSNumber)?.intValue ?? 0,
            relative: bytes(text: object["path"] as? String, base64: object["path_b64"] as? String), layers: layers)
        var record = ItemRecord(path: path, kind: kind, status: status, reason: object["reason"] as? String)
        record.size = (object["size"] as? NSNumber)?.int64Value
        record.mtime = (object["mtime"] as? String).flatMap(Timestamp.init(rfc3339:))
        record.mime = object["mime"] as? String
        record.description = object["description"] as? String
        record.extensionMismatch = object["extension_mismatch"] as? Bool
        if object["target"] != nil {
            record.linkTarget = bytes(text: object["target"] as? String, base64: object["target_b64"] as? String)
        }
        let hashes = object["hashes"] as? [String: Any] ?? [:]
        record.hashes = hashes.keys.sorted().compactMap { key in
            if let hex = hashes[key] as? String { return HashOutput(key: key, value: .hex(hex)) }
            if let number = hashes[key] as? NSNumber { return HashOutput(key: key, value: .integer(number.intValue)) }
            if let list = hashes[key] as? [String] { return HashOutput(key: key, value: .hexList(list)) }
            return nil
        }
        record.matches = (object["matches"] as? [[String: Any]] ?? []).compactMap { match in
            guard let set = match["set"] as? String, let role = (match["role"] as? String).flatMap(HashSetRole.init),
                let algorithm = match["algorithm"] as? String
            else { return nil }
            return Match(
                set: set, role: role, algorithm: algorithm, category: match["category"] as? String,
                distance: (match["distance"] as? NSNumber)?.intValue)
        }
        record.notes = object["notes"] as? [String] ?? []
        let errors = object["plugin_errors"] as? [String: String] ?? [:]
        record.pluginErrors = errors.keys.sorted().map { PluginErrorNote(plugin: $0, reason: errors[$0] ?? "") }
        if let archive = object["archive"] as? [String: Any] {
            record.container = ContainerInfo(
                format: archive["format"] as? String ?? "", members: (archive["members"] as? NSNumber)?.intValue ?? 0,
                memberBytes: (archive["member_bytes"] as? NSNumber)?.int64Value ?? 0)
        }
        return record
    }

    /// A parsed JSON value as text: `true`/`false` for booleans (Foundation hands them over as
    /// numbers), arrays comma-separated, numbers and strings as they are.
    public static func display(_ value: Any) -> String {
        if let number = value as? NSNumber {
            if String(describing: type(of: number)).contains("Boolean") { return number.boolValue ? "true" : "false" }
            return number.stringValue
        }
        if let array = value as? [Any] { return array.map(display).joined(separator: ", ") }
        return "\(value)"
    }

    /// The exact bytes of a name: from base64 when present (names that are not UTF-8), else the text.
    private static func bytes(text: String?, base64: String?) -> PathBytes {
        if let base64, let decoded = Base64.decode(base64) { return PathBytes(decoded) }
        return PathBytes(text ?? "")
    }
}
