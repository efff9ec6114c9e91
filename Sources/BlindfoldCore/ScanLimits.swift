/// Every limit the scanner enforces, in one place, with the defaults documented in
/// `docs/ARCHITECTURE.md`. A limit that is hit marks the item `limit`, names the limit in the
/// reason, and is counted in the summary's `limits_hit`.
public struct ScanLimits: Sendable, Hashable {
    /// How deep archives may nest inside archives.
    public var archiveDepth: Int = 8
    /// Bytes an archive may produce, as a multiple of its stored size.
    public var expansionRatio: Int = 100
    /// Bytes an archive may produce, absolute.
    public var expansionBytes: Int64 = 64 << 30
    /// Entries one archive may list.
    public var entriesPerArchive: Int = 1_000_000
    /// Bytes of a container that needs random access (7-Zip) held in memory to expand it.
    public var seekableArchiveBytes: Int64 = 256 << 20
    /// Pixels an image decoder may produce.
    public var imagePixels: Int = 100_000_000

    /// The defaults.
    public init() {}

    /// The limits as name/value pairs, in a fixed order, for the manifest header.
    public var namedValues: [(name: String, value: Int64)] {
        [
            ("archive_depth", Int64(archiveDepth)),
            ("expansion_ratio", Int64(expansionRatio)),
            ("expansion_bytes", expansionBytes),
            ("entries_per_archive", Int64(entriesPerArchive)),
            ("seekable_archive_bytes", seekableArchiveBytes),
            ("image_pixels", Int64(imagePixels)),
        ]
    }
}
