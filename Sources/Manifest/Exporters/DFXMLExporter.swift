import BlindfoldCore

/// DFXML 1.2 (the schema in `../shared/schemas/dfxml/`): one `fileobject` per item, children
/// in the schema's order, hashes as `hashdigest`. Names are escaped for XML, and characters
/// XML 1.0 cannot carry are written as `\xHH`, like the manifest writes invalid UTF-8.
public struct DFXMLExporter: ManifestExporter {
    public init() {}

    public mutating func begin(header: ScanHeader) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML\""
        text += " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:blindfold=\"\(Self.namespace)\" version=\"1.2.0\">\n"
        text += "  <metadata><dc:type>Hash List</dc:type></metadata>\n"
        text += "  <creator>\n    <program>\(Self.escape(header.tool.name))</program>\n"
        text += "    <version>\(Self.escape(header.tool.version))</version>\n"
        text += "    <execution_environment><start_time>\(Self.escape(header.started.rfc3339))</start_time></execution_environment>\n"
        text += "  </creator>\n"
        for root in header.roots {
            text += "  <source><image_filename>\(Self.escape(root))</image_filename></source>\n"
        }
        return text
    }

    public mutating func item(_ record: ItemRecord) -> String {
        var text = "  <fileobject>\n    <filename>\(Self.escape(record.displayPath))</filename>\n"
        if record.status != .ok {
            text += "    <error>\(Self.escape(record.status.rawValue + ": " + (record.reason ?? "")))</error>\n"
        }
        if let size = record.size { text += "    <filesize>\(size)</filesize>\n" }
        if let mtime = record.mtime { text += "    <mtime>\(mtime.rfc3339)</mtime>\n" }
        if let target = record.linkTarget { text += "    <link_target>\(Self.escape(target.escaped))</link_target>\n" }
        if let description = record.description { text += "    <libmagic>\(Self.escape(description))</libmagic>\n" }
        // A carved item is one run of the innermost disk image's bytes.
        if let carved = record.path.layers.last?.carved, let length = carved.length {
            text += "    <byte_runs><byte_run file_offset=\"0\" img_offset=\"\(carved.offset)\" len=\"\(length)\"/></byte_runs>\n"
        }
        for output in record.hashes {
            guard case .hex(let value) = output.value, ["md5", "sha1", "sha256"].contains(output.key) else { continue }
            text += "    <hashdigest type=\"\(output.key)\">\(value)</hashdigest>\n"
        }
        if let sidecar = record.sidecar { text += Self.sidecarElement(sidecar) }
        return text + "  </fileobject>\n"
    }

    /// Blindfold's own namespace, for what DFXML has no element for; the schema admits
    /// elements of another namespace at the end of a `fileobject`.
    static let namespace = "urn:blindfold:dfxml:1"

    /// The reference to a file the scan wrote for the item (vPDQ's frame lines):
    /// `<blindfold:vpdq file="vpdq/<sha256>.txt" sha256="..." frames="N"/>`.
    static func sidecarElement(_ sidecar: SidecarFile) -> String {
        "    <blindfold:\(escape(sidecar.key)) file=\"\(escape(sidecar.file))\" sha256=\"\(escape(sidecar.sha256))\""
            + " \(escape(sidecar.countKey))=\"\(sidecar.count)\"/>\n"
    }

    public mutating func end(summary: SummaryRecord) -> String { "</dfxml>\n" }

    /// XML text escaping; characters outside XML 1.0's Char production become `\xHH`.
    static func escape(_ value: String) -> String {
        var output = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value):
                output += "\\x" + Hex.encode([UInt8(truncatingIfNeeded: scalar.value)])
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
