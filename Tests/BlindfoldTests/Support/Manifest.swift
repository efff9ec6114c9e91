import Foundation
import Manifest

/// A manifest read back for assertions: header, items, summary as Foundation JSON objects (an
/// independent oracle) and as the typed values `ManifestReader` gives. Reading fails unless
/// every line reads typed and writes back byte for byte, so every scan a test reads also
/// checks the reader.
struct ParsedManifest {
    var lines: [String]
    var header: [String: Any]
    var items: [[String: Any]]
    var summary: [String: Any]
    /// The typed values of the lines, in order.
    var typed: [ManifestLine]

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
        typed = try lines.map { try ManifestReader.line(Array($0.utf8)) }
        guard case .header(let typedHeader) = typed[0] else { throw ManifestParseError("the first line is not a header") }
        for (index, line) in typed.enumerated() {
            let again = switch line {
            case .header(let header): header.manifestJSON.serialized
            case .item(let item): item.manifestJSON(multipleRoots: typedHeader.roots.count > 1).serialized
            case .summary(let summary): summary.manifestJSON.serialized
            }
            guard again == lines[index] else { throw ManifestParseError("line \(index + 1) does not write back byte for byte") }
        }
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
