import BlindfoldCore
import Signals

/// Reads a hash set, a `.bfhs` index or a raw set file, detecting which from its content.
public enum HashSetLoader {
    /// The formats this loader detects, in the order they are tried.
    public static let formats = [
        ".bfhs index", "NSRL RDSv3 SQLite", "Project VIC VICS / CAID JSON 1.x / 2.0", "hashdeep", "NSRL 2.x NSRLFile.txt",
        "PDQ lists", "vPDQ lists (a file per video, or a folder of them)", "keyed lists (KEY VALUE [LABEL])", "md5sum / sha1sum / sha256sum (plain, escaped, or --tag)",
    ]

    /// Loads the set at `path`.
    ///
    /// A `.bfhs` index is mapped and checked (its recorded name and role are used; `role` must
    /// be the one it was imported for). A raw set is parsed and indexed in memory under `name`.
    ///
    /// - Parameters:
    ///   - vicsAlertCategories: in a known-bad VICS/CAID set, the categories that alert
    ///     (`uncategorised` stands for entries without one); every entry is matched whatever
    ///     its category. nil: `1` for a raw set, the categories an index was imported with.
    ///   - pdqPolicy: distance and quality thresholds for the set's PDQ entries.
    ///   - format: the source format, instead of detecting it.
    /// - Throws: ``HashSetError`` when the file cannot be read, its format is not recognised,
    ///   any line or record is malformed (with the line or JSON path), or an index is corrupt.
    public static func load(
        path: String, name: String, role: HashSetRole, vicsAlertCategories: Set<String>? = nil,
        pdqPolicy: PDQMatchPolicy = .standard, format: HashSetFormat? = nil, vpdqPolicy: VPDQComparison = .standard
    ) throws(HashSetError) -> any KnownHashSet {
        // vPDQ lists: a folder of per-video files, or one such file (VPDQListFormat).
        if format == nil, VPDQListFormat.recognises(path) {
            let (videos, sha256) = try VPDQListFormat.read(path: path)
            let info = HashSetInfo(name: name, role: role, format: "vpdq", entries: videos.count, sha256: sha256, path: path)
            return VPDQHashSet(info: info, videos: videos, policy: vpdqPolicy)
        }
        // A FIFO, device, socket or directory is refused before anything reads from it.
        try SetFile.check(path)
        let detected: HashSetFormat.Detected
        if let format { detected = .source(format) } else { detected = try HashSetFormat.detect(path: path) }
        switch detected {
        case .index:
            let index = try loadIndex(path: path, role: role, pdqPolicy: pdqPolicy, vpdqPolicy: vpdqPolicy)
            guard let imported = index.alertCategories else { return index.set }
            return CategoryAlertSet(index.set, alerting: vicsAlertCategories ?? Set(imported))
        case .source(.keyed):
            return try loadKeyed(path: path, name: name, role: role)
        case .source(let format):
            let (list, sha256) = try format.read(path: path)
            let info = HashSetInfo(name: name, role: role, format: list.format, entries: list.entries, sha256: sha256, path: path)
            var parts: [any KnownHashSet] = []
            if list.digestCount > 0 || list.pdq.isEmpty { parts.append(ExactHashSet(info: info, list: list)) }
            if !list.pdq.isEmpty {
                parts.append(PDQHashSet(info: info, records: list.pdq, categories: list.labels.map(\.category), policy: pdqPolicy))
            }
            let set = parts.count == 1 ? parts[0] : CompositeHashSet(info: info, parts: parts)
            guard role == .knownBad, format == .vics || format == .caid else { return set }
            return CategoryAlertSet(set, alerting: vicsAlertCategories ?? Self.defaultAlertCategories)
        }
    }

    /// The VICS categories that alert unless told otherwise: `1`, child abuse material.
    public static let defaultAlertCategories: Set<String> = ["1"]

    /// Reads the keyed list at `path` (exact values of any output key).
    private static func loadKeyed(path: String, name: String, role: HashSetRole) throws(HashSetError) -> any KnownHashSet {
        let source = try LineSource(path: path)
        guard let first = try source.firstContentLine() else { throw HashSetError(file: path, reason: "the set is empty") }
        let entries = try KeyedListFormat.read(source, first: first)
        let info = HashSetInfo(
            name: name, role: role, format: "keyed-list", entries: entries.count, sha256: try source.digest(), path: path)
        return KeyedHashSet(info: info, entries: entries)
    }

    /// Maps and checks the index at `path`.
    ///
    /// The manifest header's `sha256` for an index is the SHA-256 of the *source* the index was
    /// imported from (recorded in it), so a scan with the index and one with the raw list name
    /// the same set; `format` is `bfhs:<source format>`.
    private static func loadIndex(
        path: String, role: HashSetRole, pdqPolicy: PDQMatchPolicy, vpdqPolicy: VPDQComparison
    ) throws(HashSetError) -> (set: any KnownHashSet, alertCategories: [String]?) {
        let index = try IndexFile(path: path)
        let metadata = index.metadata
        guard metadata.role == role else {
            throw HashSetError(
                file: path, reason: "this index was imported as \(metadata.role.rawValue): pass it with --\(metadata.role.rawValue)")
        }
        let info = HashSetInfo(
            name: metadata.name, role: role, format: "bfhs:" + metadata.sourceFormat, entries: metadata.sourceEntries,
            sha256: metadata.sourceSHA256, path: path)
        let exact = IndexedHashSet(info: info, index: index)
        // An imported vPDQ list: its videos indexed in memory, exactly as the text list is.
        if index.vpdq != nil {
            let videos = VPDQHashSet(info: info, videos: index.vpdqVideos(), policy: vpdqPolicy)
            return (index.tables.isEmpty ? videos : CompositeHashSet(info: info, parts: [exact, videos]), metadata.alertCategories)
        }
        let pdq = index.pdqRecords()
        guard !pdq.isEmpty else { return (exact, metadata.alertCategories) }
        let near = PDQHashSet(info: info, records: pdq, categories: metadata.categories, policy: pdqPolicy)
        return (index.tables.isEmpty ? near : CompositeHashSet(info: info, parts: [exact, near]), metadata.alertCategories)
    }
}
