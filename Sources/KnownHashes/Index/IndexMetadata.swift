import BlindfoldCore
import Foundation

/// What an index records about itself and its source (the metadata section, JSON).
public struct IndexMetadata: Sendable, Hashable {
    /// The set's name, as matches cite it.
    public var name: String
    /// The role it was imported for.
    public var role: HashSetRole
    /// The source's format (`sha1sum`, `nsrl-rds3-minimal`, `vics-2.0`, ...).
    public var sourceFormat: String
    /// SHA-256 of the source file.
    public var sourceSHA256: String
    /// The source's file name (without folders).
    public var sourceName: String
    /// Entries the source listed.
    public var sourceEntries: Int
    /// The source's own version (the NSRL `VERSION` row), if any.
    public var sourceVersion: String?
    /// VICS/CAID categories that were kept for a known-bad import.
    public var alertCategories: [String]?
    /// When the index was written (RFC 3339, UTC).
    public var created: String
    /// The writing tool's version.
    public var tool: String
    /// Labels entries refer to: index 0 is no label.
    var labels: [EntryLabel]
    /// The file names of the listed videos of a vPDQ section, by video number (what matches
    /// cite as their category).
    var videoNames: [String]?

    /// Category names of the labels, index 0 first.
    var categories: [String?] { labels.map(\.category) }

    func encoded() -> [UInt8] {
        var object: [String: Any] = [
            "name": name, "role": role.rawValue, "source_format": sourceFormat, "source_sha256": sourceSHA256,
            "source_name": sourceName, "source_entries": sourceEntries, "created": created, "tool": tool,
            "labels": labels.map { [$0.category as Any? ?? NSNull(), $0.detail as Any? ?? NSNull()] },
        ]
        if let sourceVersion { object["source_version"] = sourceVersion }
        if let alertCategories { object["alert_categories"] = alertCategories }
        if let videoNames { object["vpdq_videos"] = videoNames }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }

    init(
        name: String, role: HashSetRole, sourceFormat: String, sourceSHA256: String, sourceName: String,
        sourceEntries: Int, sourceVersion: String?, alertCategories: [String]?, created: String, tool: String,
        labels: [EntryLabel], videoNames: [String]? = nil
    ) {
        self.name = name
        self.role = role
        self.sourceFormat = sourceFormat
        self.sourceSHA256 = sourceSHA256
        self.sourceName = sourceName
        self.sourceEntries = sourceEntries
        self.sourceVersion = sourceVersion
        self.alertCategories = alertCategories
        self.created = created
        self.tool = tool
        self.labels = labels
        self.videoNames = videoNames
    }

    init?(decoding bytes: UnsafeRawBufferPointer) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let name = object["name"] as? String, let roleText = object["role"] as? String,
            let role = HashSetRole(rawValue: roleText), let format = object["source_format"] as? String,
            let digest = object["source_sha256"] as? String, let entries = object["source_entries"] as? Int,
            let labels = object["labels"] as? [[Any]], labels.first.map({ $0.count == 2 }) == true
        else { return nil }
        self.init(
            name: name, role: role, sourceFormat: format, sourceSHA256: digest,
            sourceName: object["source_name"] as? String ?? "", sourceEntries: entries,
            sourceVersion: object["source_version"] as? String, alertCategories: object["alert_categories"] as? [String],
            created: object["created"] as? String ?? "", tool: object["tool"] as? String ?? "",
            labels: labels.map { EntryLabel(category: $0.first as? String, detail: $0.last as? String) },
            videoNames: object["vpdq_videos"] as? [String])
    }
}
