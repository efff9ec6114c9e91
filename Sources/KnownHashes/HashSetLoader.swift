import BlindfoldCore

/// Reads a hash-set file, detecting its format from its content.
public enum HashSetLoader {
    /// The formats this loader detects, in the order they are tried.
    public static let formats = [
        "Project VIC VICS JSON 1.x / 2.0", "hashdeep", "md5sum / sha1sum / sha256sum (plain, escaped, or --tag)",
    ]

    /// Loads the set at `path` under `name` with `role`.
    ///
    /// - Throws: ``HashSetError`` when the file cannot be read, its format is not recognised,
    ///   or any line is malformed (with the line number).
    ///
    /// - Parameter vicsAlertCategories: in a known-bad VICS set, the categories that count
    ///   (`uncategorised` stands for entries without one).
    public static func load(
        path: String, name: String, role: HashSetRole, vicsAlertCategories: Set<String> = ["1"]
    ) throws(HashSetError) -> ExactHashSet {
        let source = try LineSource(path: path)
        var first: [UInt8]?
        while let line = try source.nextLine() {
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            first = line
            break
        }
        guard let first else { throw HashSetError(file: path, reason: "the set is empty") }
        let parsed: ParsedHashList
        if VICSFormat.recognises(first) {
            parsed = try VICSFormat.read(source, first: first, role: role, alertCategories: vicsAlertCategories)
        } else if HashdeepFormat.recognises(first) {
            parsed = try HashdeepFormat.read(source, first: first)
        } else if SumListFormat.recognises(first) {
            parsed = try SumListFormat.read(source, first: first)
        } else {
            throw HashSetError(
                file: path, line: source.lineNumber,
                reason: "unrecognised hash-set format (expected VICS JSON, a hashdeep file or a md5sum/sha1sum/sha256sum list)")
        }
        let info = HashSetInfo(
            name: name, role: role, format: parsed.format, entries: parsed.entries, sha256: source.digest(), path: path)
        return ExactHashSet(info: info, categorised: parsed.digests, categories: parsed.categories)
    }
}
