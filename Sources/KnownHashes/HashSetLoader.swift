import BlindfoldCore
import Signals

/// Reads a hash set, a `.bfhs` index or a raw set file, detecting which from its content.
public enum HashSetLoader {
    /// The formats this loader detects, in the order they are tried.
    public static let formats = [
        ".bfhs index", "NSRL RDSv3 SQLite", "Project VIC VICS / CAID JSON 1.x / 2.0", "hashdeep", "NSRL 2.x NSRLFile.txt",
        "PDQ lists", "keyed lists (KEY VALUE [LABEL])", "md5sum / sha1sum / sha256sum (plain, escaped, or --tag)",
    ]

    /// Loads the set at `path`.
    ///
    /// A `.bfhs` index is mapped and checked (its recorded name and role are used; `role` must
    /// be the one it was imported for). A raw set is parsed and indexed in memory under `name`.
    ///
    /// - Parameters:
    ///   - vicsAlertCategories: in a known-bad VICS/CAID set, the categories that count
    ///     (`uncategorised` stands for entries without one). An index applied them at import.
    ///   - pdqPolicy: distance and quality thresholds for the set's PDQ entries.
    ///   - format: the source format, instead of detecting it.
    /// - Throws: ``HashSetError`` when the file cannot be read, its format is not recognised,
    ///   any line or record is malformed (with the line or JSON path), or an index is corrupt.
    public static func load(
        path: String, name: String, role: HashSetRole, vicsAlertCategories: Set<String> = ["1"],
        pdqPolicy: PDQMatchPolicy = .standard, format: HashSetFormat? = nil
    ) throws(HashSetError) -> any KnownHashSet {
        // A FIFO, device, socket or directory is refused before anything reads from it.
        try SetFile.check(path)
        let detected: HashSetFormat.Detected
        if let format { detected = .source(format) } else { detected = try HashSetFormat.detect(path: path) }
        switch detected {
        case .index:
            return try loadIndex(path: path, role: role, pdqPolicy: pdqPolicy)
        case .source(.keyed):
            return try loadKeyed(path: path, name: name, role: role)
        case .source(let format):
            let (list, sha256) = try format.read(path: path, role: role, alertCategories: vicsAlertCategories)
            let info = HashSetInfo(name: name, role: role, format: list.format, entries: list.entries, sha256: sha256, path: path)
            var parts: [any KnownHashSet] = []
            if list.digestCount > 0 || list.pdq.isEmpty { parts.append(ExactHashSet(info: info, list: list)) }
            if !list.pdq.isEmpty {
                parts.append(PDQHashSet(info: info, records: list.pdq, categories: list.labels.map(\.category), policy: pdqPolicy))
            }
            return parts.count == 1 ? parts[0] : CompositeHashSet(info: info, parts: parts)
        }
    }

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
    private static func loadIndex(path: String, role: HashSetRole, pdqPolicy: PDQMatchPolicy) throws(HashSetError) -> any KnownHashSet {
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
        let pdq = index.pdqRecords()
        guard !pdq.isEmpty else { return exact }
        let near = PDQHashSet(info: info, records: pdq, categories: metadata.categories, policy: pdqPolicy)
        return index.tables.isEmpty ? near : CompositeHashSet(info: info, parts: [exact, near])
    }
}
