import Manifest

/// The manifest reader: every line of the input parsed as JSON and, when it is an object,
/// read as an item record (what `verify`, `export` and `--resume` do with a manifest).
enum ManifestTarget {
    /// The `manifest` target.
    static let target = FuzzTarget(
        name: "manifest", summary: "ManifestReader.object and ManifestReader.item on each line"
    ) { bytes in
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let object = ManifestReader.object(line) else { continue }
            if let item = ManifestReader.item(object) { _ = item.path }
        }
    }
}
