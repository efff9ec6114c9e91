import Manifest

/// The manifest reader: every line of the input read as a header, item or summary (what
/// `verify`, `export` and `--resume` do with a manifest), and what it read written back.
enum ManifestTarget {
    /// The `manifest` target.
    static let target = FuzzTarget(
        name: "manifest", summary: "ManifestReader.line on each line, and the value written back"
    ) { bytes in
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            switch try? ManifestReader.line(line) {
            case .header(let header)?: _ = header.manifestJSON.serialized
            case .item(let item)?: _ = item.manifestJSON(multipleRoots: item.record.path.rootIndex > 0).serialized
            case .summary(let summary)?: _ = summary.manifestJSON.serialized
            case nil: continue
            }
        }
    }
}
