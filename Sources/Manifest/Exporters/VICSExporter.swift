import BlindfoldCore
import Crypto
import Signals

/// Project VIC VICS JSON 2.0 (`Default` profile, `#Cases` shape): one case for the scan, one
/// Media entry per item read in full, with MD5 and SHA-1 in their fields and SHA-256 as an
/// `AlternativeHashes` entry (`HashName` `SHA256`; the model has no field for it) and PDQ as
/// another (`HashName` `PDQ`, which our VICS reader reads back), the item's
/// size, type, name and path, the category of its known-bad match (null when it has none) and
/// its match status in `Comments`. A video's frame file (vPDQ) is named by its SHA-256 as an
/// `AlternativeHashes` entry (`HashName` `vpdq-file-sha256`) and by path and frame count in
/// `Comments`. `onlyMatches` keeps the known-bad hits only, for sharing.
public struct VICSExporter: ManifestExporter {
    private let onlyMatches: Bool
    private let alternativeHashes: [(key: String, hashName: String)]
    private var mediaID = 0

    /// An exporter; `onlyMatches` writes only items with a known-bad match. Each signal of
    /// `signals` adds its `AlternativeHashes` after SHA-256.
    public init(onlyMatches: Bool = false, signals: SignalCatalog = .builtIn) {
        self.onlyMatches = onlyMatches
        alternativeHashes = [("sha256", "SHA256")] + signals.vicsAlternativeHashes
    }

    public mutating func begin(header: ScanHeader) -> String {
        let started = header.started.rfc3339
        let roots = header.roots.joined(separator: "\n")
        var caseObject = JSONObjectBuilder()
        caseObject.add("CaseID", Self.caseID(started + "\n" + roots))
        caseObject.add("SourceApplicationName", header.tool.name)
        caseObject.add("SourceApplicationVersion", header.tool.version)
        var text = "{\"@odata.context\":\"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Cases\","
        text += "\"value\":["
        let opened = caseObject.value.serialized
        text += String(opened.dropLast()) + ",\"Media\":[\n"
        return text
    }

    public mutating func item(_ record: ItemRecord) -> String {
        guard case .hex(let md5)? = record.hash("md5") else { return "" }
        let knownBad = record.matches.filter { $0.role == .knownBad }
        if onlyMatches && knownBad.isEmpty { return "" }
        mediaID += 1
        // An alerting match's category wins over one in a category that does not alert.
        let alerting = knownBad.filter(\.alerts)
        let category = (alerting.isEmpty ? knownBad : alerting).compactMap(\.category).compactMap { Int($0) }.min()
        var media = JSONObjectBuilder()
        media.add("MediaID", mediaID)
        media.add("Category", category.map { .int(Int64($0)) } ?? .null)
        media.add("MD5", md5)
        if case .hex(let sha1)? = record.hash("sha1") { media.add("SHA1", sha1) }
        media.add("MediaSize", record.size)
        media.add("MimeType", record.mime)
        media.add("IsPrecategorized", category != nil)
        var file = JSONObjectBuilder()
        file.add("MD5", md5)
        file.add("MediaFileID", 1)
        file.add("FileName", (record.path.layers.last?.member ?? record.path.relative).lastComponent.escaped)
        file.add("FilePath", record.displayPath.split(separator: "/").joined(separator: "\\"))
        file.add("Written", record.mtime?.rfc3339)
        media.add("MediaFiles", .array([file.value]))
        var alternatives: [JSONValue] = []
        for (key, name) in alternativeHashes {
            guard case .hex(let value)? = record.hash(key) else { continue }
            var alternative = JSONObjectBuilder()
            alternative.add("MD5", md5)
            alternative.add("HashName", name)
            alternative.add("HashValue", value)
            alternatives.append(alternative.value)
        }
        if let sidecar = record.sidecar {
            var alternative = JSONObjectBuilder()
            alternative.add("MD5", md5)
            alternative.add("HashName", Self.sidecarHashName(sidecar))
            alternative.add("HashValue", sidecar.sha256)
            alternatives.append(alternative.value)
        }
        if !alternatives.isEmpty { media.add("AlternativeHashes", .array(alternatives)) }
        let sets = Array(Set(record.matches.map { "\($0.role.rawValue) \($0.set)" })).sorted()
        var comments = sets.isEmpty ? "blindfold: no match" : "blindfold: " + sets.joined(separator: "; ")
        if let sidecar = record.sidecar { comments += "; \(sidecar.key): \(sidecar.count) \(sidecar.countKey) in \(sidecar.file)" }
        media.add("Comments", comments)
        return (mediaID == 1 ? "" : ",\n") + media.value.serialized
    }

    public mutating func end(summary: SummaryRecord) -> String { "\n]}]}\n" }

    /// The `HashName` of the SHA-256 of a file the scan wrote for the item: for a video,
    /// `vpdq-file-sha256`, the digest of its frame file (the model has no field for vPDQ).
    static func sidecarHashName(_ sidecar: SidecarFile) -> String { "\(sidecar.key)-file-sha256" }

    /// A stable UUID-shaped id for the scan (SHA-256 of its start time and roots).
    static func caseID(_ seed: String) -> String {
        var bytes = Array(SHA256.hash(data: Array(seed.utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x50
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Hex.encode(bytes)
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}
