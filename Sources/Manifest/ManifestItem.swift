import BlindfoldCore
import Signals

/// An item line read back: the ``ItemRecord`` it describes, plus whatever the line held that
/// the record cannot (fields of a later version, a time the record cannot represent exactly),
/// so that ``manifestJSON(multipleRoots:)`` gives the line back byte for byte.
public struct ManifestItem: Sendable, Hashable {
    /// The item.
    public var record: ItemRecord
    /// The line's members the record does not hold, at their positions.
    public var preserved: PreservedFields

    /// An item from its parts.
    public init(record: ItemRecord, preserved: PreservedFields = PreservedFields()) {
        self.record = record
        self.preserved = preserved
    }

    /// The line's object again (the record's encoding with the preserved members put back).
    public func manifestJSON(multipleRoots: Bool) -> JSONValue {
        preserved.merged(into: record.manifestJSON(multipleRoots: multipleRoots))
    }

    /// Reads an item line's object back; hash values and plugin errors keep their file order.
    public init(manifestJSON value: JSONValue) throws(ManifestReadError) {
        var reader = try JSONObjectReader(value, what: "item record")
        guard try reader.string("record") == "item" else { throw reader.invalid("record", "is not 'item'") }
        let root = Int(try reader.int("root") ?? 0)
        let relative = try Self.bytes(&reader, "path", required: true)
        var layers: [VirtualPath.Layer] = []
        for entry in try reader.array("layers") ?? [] {
            var layer = try JSONObjectReader(entry, what: "item record ('layers')")
            layers.append(VirtualPath.Layer(
                format: try layer.required("format", layer.string("format")),
                member: try Self.bytes(&layer, "member", required: true),
                location: try LayerLocation.read(from: &layer), carved: try CarvedLocation.read(from: &layer)))
        }
        let kindName = try reader.required("kind", reader.string("kind"))
        let kind = try reader.required("kind", ItemKind(rawValue: kindName))
        var record = ItemRecord(
            path: VirtualPath(rootIndex: root, relative: relative, layers: layers), kind: kind)
        record.size = try reader.int("size")
        if let text = try reader.string("mtime") {
            if let time = Timestamp(rfc3339: text), time.rfc3339 == text {
                record.mtime = time
            } else {
                // A time the type cannot represent exactly (an absurd year) stays as written.
                reader.giveBack("mtime")
            }
        }
        record.deleted = try reader.bool("deleted")
        if reader.hasMember("target") { record.linkTarget = try Self.bytes(&reader, "target", required: true) }
        record.mime = try reader.string("mime")
        record.description = try reader.string("description")
        record.extensionMismatch = try reader.bool("extension_mismatch")
        for member in try reader.members("hashes") ?? [] {
            record.hashes.append(HashOutput(key: member.key, value: try Self.hashValue(member.value, reader)))
        }
        if var reference = try reader.object(VPDQSignal.Key.features) {
            record.sidecar = SidecarFile(
                key: VPDQSignal.Key.features, file: try reference.required("file", reference.string("file")),
                sha256: try reference.required("sha256", reference.string("sha256")),
                count: Int(try reference.required("frames", reference.int("frames"))), countKey: "frames",
                complete: try reference.bool("complete") ?? true)
        }
        for entry in try reader.array("matches") ?? [] {
            record.matches.append(try Self.match(entry))
        }
        if let archive = try reader.object("archive") {
            var info = archive
            record.container = ContainerInfo(
                format: try info.required("format", info.string("format")),
                members: Int(try info.required("members", info.int("members"))),
                memberBytes: try info.required("member_bytes", info.int("member_bytes")))
            if var disk = try reader.object("disk_image") {
                record.container?.disk = try DiskLayout(manifestJSON: &disk)
            }
        }
        record.notes = try reader.strings("notes", reader.array("notes") ?? [])
        for member in try reader.members("plugin_errors") ?? [] {
            guard case .string(let reason) = member.value else { throw reader.invalid("plugin_errors", "holds a non-string") }
            record.pluginErrors.append(PluginErrorNote(plugin: member.key, reason: reason))
        }
        let statusName = try reader.required("status", reader.string("status"))
        record.status = try reader.required("status", ItemStatus(rawValue: statusName))
        record.reason = try reader.string("reason")
        self.init(record: record, preserved: reader.preserved)
    }

    /// The exact bytes of a name: from `<key>_b64` when present (names that are not UTF-8),
    /// else the text.
    private static func bytes(_ reader: inout JSONObjectReader, _ key: String, required: Bool) throws(ManifestReadError) -> PathBytes {
        let text = try reader.string(key)
        if let encoded = try reader.string(key + "_b64") {
            guard let decoded = Base64.decode(encoded) else { throw reader.invalid(key + "_b64", "is not base64") }
            return PathBytes(decoded)
        }
        return PathBytes(try reader.required(key, text))
    }

    private static func hashValue(_ value: JSONValue, _ reader: JSONObjectReader) throws(ManifestReadError) -> HashValue {
        switch value {
        case .string(let hex): return .hex(hex)
        case .int(let number): return .integer(Int(number))
        case .array(let elements): return .hexList(try reader.strings("hashes", elements))
        default: throw reader.invalid("hashes", "holds a value that is not text, an integer or a list")
        }
    }

    private static func match(_ value: JSONValue) throws(ManifestReadError) -> Match {
        var match = try JSONObjectReader(value, what: "item record ('matches')")
        let set = try match.required("set", match.string("set"))
        let roleName = try match.required("role", match.string("role"))
        var result = Match(
            set: set, role: try match.required("role", HashSetRole(rawValue: roleName)),
            algorithm: try match.required("algorithm", match.string("algorithm")),
            category: try match.string("category"), distance: try match.int("distance").map { Int($0) },
            queryPercent: try match.double("query_match"), comparedPercent: try match.double("compared_match"),
            timestamp: try match.double("timestamp"))
        result.alerts = try match.bool("alert") ?? true
        return result
    }
}
