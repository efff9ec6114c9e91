import BlindfoldCore
import Crypto

/// CASE/UCO 1.x JSON-LD: the scan as a `case-investigation:InvestigativeAction` whose
/// instrument is Blindfold (`uco-tool:Tool`) and whose results are the items, each a
/// `uco-observable:File` with a `FileFacet` (name, path, size, modification time) and, when it
/// was read in full, a `ContentDataFacet` (size, MIME type, MD5/SHA1/SHA256 hashes typed
/// `xsd:hexBinary`). Every node has an IRI ending in a UUID derived from the scan and the item's
/// position, so two exports of one manifest are identical. It passes `case_validate` without
/// `--allow-info` (the tests check that).
public struct CASEExporter: ManifestExporter {
    private var seed = ""
    private var index = 0
    private var results: [String] = []
    private var tool = ScanHeader.Tool(version: "")
    private var started = ""

    public init() {}

    public mutating func begin(header: ScanHeader) -> String {
        tool = header.tool
        started = header.started.rfc3339
        seed = started + "\n" + header.roots.joined(separator: "\n")
        return """
            {"@context":{"kb":"http://example.org/kb/",\
            "case-investigation":"https://ontology.caseontology.org/case/investigation/",\
            "uco-action":"https://ontology.unifiedcyberontology.org/uco/action/",\
            "uco-core":"https://ontology.unifiedcyberontology.org/uco/core/",\
            "uco-observable":"https://ontology.unifiedcyberontology.org/uco/observable/",\
            "uco-tool":"https://ontology.unifiedcyberontology.org/uco/tool/",\
            "uco-types":"https://ontology.unifiedcyberontology.org/uco/types/",\
            "xsd":"http://www.w3.org/2001/XMLSchema#"},
            "@graph":[

            """
    }

    public mutating func item(_ record: ItemRecord) -> String {
        index += 1
        let fileID = id("File", index, 0)
        results.append(fileID)
        var fileFacet = JSONObjectBuilder()
        fileFacet.add("@id", id("FileFacet", index, 1))
        fileFacet.add("@type", "uco-observable:FileFacet")
        let name = (record.path.layers.last?.member ?? record.path.relative).lastComponent.escaped
        fileFacet.add("uco-observable:fileName", name)
        fileFacet.add("uco-observable:filePath", record.displayPath)
        if let ext = (record.path.layers.last?.member ?? record.path.relative).fileExtension {
            fileFacet.add("uco-observable:extension", ext)
        }
        if let size = record.size { fileFacet.add("uco-observable:sizeInBytes", size) }
        if let mtime = record.mtime { fileFacet.add("uco-observable:modifiedTime", Self.dateTime(mtime.rfc3339)) }
        var facets: [JSONValue] = [fileFacet.value]
        let hashes = record.hashes.compactMap { output -> JSONValue? in
            guard case .hex(let value) = output.value, let method = Self.methods[output.key] else { return nil }
            var hash = JSONObjectBuilder()
            hash.add("@id", id("Hash", index, 10 + facets.count + Int(output.key.count)))
            hash.add("@type", "uco-types:Hash")
            hash.add("uco-types:hashMethod", method)
            var typed = JSONObjectBuilder()
            typed.add("@type", "xsd:hexBinary")
            typed.add("@value", value)
            hash.add("uco-types:hashValue", typed.value)
            return hash.value
        }
        if !hashes.isEmpty || record.mime != nil {
            var content = JSONObjectBuilder()
            content.add("@id", id("ContentDataFacet", index, 2))
            content.add("@type", "uco-observable:ContentDataFacet")
            if let size = record.size, !hashes.isEmpty { content.add("uco-observable:sizeInBytes", size) }
            content.add("uco-observable:mimeType", record.mime)
            if !hashes.isEmpty { content.add("uco-observable:hash", .array(hashes)) }
            facets.append(content.value)
        }
        var file = JSONObjectBuilder()
        file.add("@id", fileID)
        file.add("@type", "uco-observable:File")
        file.add("uco-core:hasFacet", .array(facets))
        return (index == 1 ? "" : ",\n") + file.value.serialized
    }

    public mutating func end(summary: SummaryRecord) -> String {
        var toolNode = JSONObjectBuilder()
        toolNode.add("@id", id("Tool", 0, 1))
        toolNode.add("@type", "uco-tool:Tool")
        toolNode.add("uco-core:name", tool.name)
        toolNode.add("uco-tool:version", tool.version)
        var action = JSONObjectBuilder()
        action.add("@id", id("InvestigativeAction", 0, 2))
        action.add("@type", "case-investigation:InvestigativeAction")
        action.add("uco-core:name", "blindfold scan")
        action.add("uco-action:startTime", Self.dateTime(started))
        action.add("uco-action:endTime", Self.dateTime(summary.finished.rfc3339))
        action.add("uco-action:instrument", .object([("@id", .string(id("Tool", 0, 1)))]))
        action.add("uco-action:result", .array(results.map { .object([("@id", .string($0))]) }))
        return (index == 0 ? "" : ",\n") + toolNode.value.serialized + ",\n" + action.value.serialized + "\n]}\n"
    }

    /// UCO's hash method names (exact upper-case spelling).
    static let methods = ["md5": "MD5", "sha1": "SHA1", "sha256": "SHA256"]

    static func dateTime(_ value: String) -> JSONValue {
        .object([("@type", .string("xsd:dateTime")), ("@value", .string(value))])
    }

    /// `kb:<Type>-<uuid>` with a UUID derived from the scan, the item and the node's role.
    private func id(_ type: String, _ item: Int, _ role: Int) -> String {
        var bytes = Array(SHA256.hash(data: Array("\(seed)\n\(item)\n\(role)\n\(type)".utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x50
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Hex.encode(bytes)
        let uuid = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            .joined(separator: "-")
        return "kb:\(type)-\(uuid)"
    }
}
