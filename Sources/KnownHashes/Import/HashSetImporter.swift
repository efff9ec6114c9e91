import BlindfoldCore
import Foundation

/// `hashset import`: parses a set in any supported format and writes it as a `.bfhs` index.
public enum HashSetImporter {
    /// What an import wrote.
    public struct Summary: Sendable {
        /// The index's metadata.
        public var metadata: IndexMetadata
        /// Distinct digests per algorithm (`md5`, `sha1`, `sha256`) and PDQ entries (`pdq`).
        public var counts: [String: Int]
    }

    /// Imports `source` as `name` with `role` into the index `output`, atomically: on any error
    /// nothing is left at `output` (an existing file there stays as it was).
    public static func run(
        source: String, name: String, role: HashSetRole, format: HashSetFormat? = nil,
        vicsAlertCategories: Set<String> = ["1"], output: String, toolVersion: String
    ) throws(HashSetError) -> Summary {
        // vPDQ lists (a per-video file, or a folder of them) go into a vPDQ section.
        if format == nil, VPDQListFormat.recognises(source) {
            return try importVPDQ(source: source, name: name, role: role, output: output, toolVersion: toolVersion)
        }
        try SetFile.check(source)
        let detected: HashSetFormat.Detected
        if let format { detected = .source(format) } else { detected = try HashSetFormat.detect(path: source) }
        guard case .source(let sourceFormat) = detected else {
            throw HashSetError(file: source, reason: "is already a .bfhs index")
        }
        var (list, sha256) = try sourceFormat.read(path: source)
        let vicsLike = sourceFormat == .vics || sourceFormat == .caid
        let metadata = IndexMetadata(
            name: name, role: role, sourceFormat: list.format, sourceSHA256: sha256,
            sourceName: String(source.split(separator: "/").last ?? Substring(source)), sourceEntries: list.entries,
            sourceVersion: list.sourceVersion, alertCategories: vicsLike && role == .knownBad ? vicsAlertCategories.sorted() : nil,
            created: Timestamp.now().rfc3339, tool: "blindfold \(toolVersion)", labels: list.labels)
        let counts = try IndexWriter.write(&list, metadata: metadata, to: output)
        return Summary(metadata: metadata, counts: counts)
    }

    /// Imports a vPDQ list: every listed video's frames, in order, and the videos' names; the
    /// source digest is the list's as a scan records it (a folder's is that of its listing).
    private static func importVPDQ(
        source: String, name: String, role: HashSetRole, output: String, toolVersion: String
    ) throws(HashSetError) -> Summary {
        let (videos, sha256) = try VPDQListFormat.read(path: source)
        var list = ParsedHashList(format: "vpdq")
        list.entries = videos.count
        list.videos = videos
        let metadata = IndexMetadata(
            name: name, role: role, sourceFormat: "vpdq", sourceSHA256: sha256,
            sourceName: String(source.split(separator: "/").last ?? Substring(source)), sourceEntries: videos.count,
            sourceVersion: nil, alertCategories: nil, created: Timestamp.now().rfc3339, tool: "blindfold \(toolVersion)",
            labels: list.labels, videoNames: videos.map(\.name))
        let counts = try IndexWriter.write(&list, metadata: metadata, to: output)
        return Summary(metadata: metadata, counts: counts)
    }
}
