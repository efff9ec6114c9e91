import Foundation

/// A manifest read back for assertions: header, items, summary as Foundation JSON objects.
struct ParsedManifest {
    var lines: [String]
    var header: [String: Any]
    var items: [[String: Any]]
    var summary: [String: Any]

    /// The raw item lines, for byte-wise comparisons between scans.
    var itemLines: [String] { Array(lines.dropFirst().dropLast()) }

    init(directory: URL) throws {
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.jsonl"))
        try self.init(data: data)
    }

    init(data: Data) throws {
        let text = String(decoding: data, as: UTF8.self)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.last == "" else { throw ManifestParseError("manifest does not end with a newline") }
        lines.removeLast()
        let objects = try lines.map { line -> [String: Any] in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ManifestParseError("a line is not a JSON object")
            }
            return object
        }
        guard objects.count >= 2 else { throw ManifestParseError("fewer than two lines") }
        header = objects[0]
        summary = objects[objects.count - 1]
        items = Array(objects.dropFirst().dropLast())
    }

    /// The item whose `path` is `path` (the file itself, not a member inside it).
    func item(_ path: String) -> [String: Any]? {
        items.first { $0["path"] as? String == path && $0["layers"] == nil }
    }

    /// Items that are files or special files of the tree itself (not archive members).
    var topLevelItems: [[String: Any]] { items.filter { $0["layers"] == nil } }
}

struct ManifestParseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
}
