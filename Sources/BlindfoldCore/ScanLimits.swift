/// Every limit the scanner enforces, in one place, with the defaults documented in
/// `docs/ARCHITECTURE.md`. A limit that is hit marks the item `limit`, names the limit in the
/// reason, and is counted in the summary's `limits_hit`.
public struct ScanLimits: Sendable, Hashable {
    /// How deep archives may nest inside archives.
    public var archiveDepth: Int = 8
    /// Bytes an archive may produce, as a multiple of its stored size.
    public var expansionRatio: Int = 100
    /// The expansion ratio applies only once an archive produced more than this many bytes
    /// (with its nested archives): small innocent containers (a 9 KB ISO, a sparse tar, a
    /// text file compressed 500:1) often expand more than 100x, while a bomb still stops
    /// within this many bytes plus one buffer.
    public var expansionRatioFloor: Int64 = 64 << 20
    /// Bytes an archive may produce, absolute.
    public var expansionBytes: Int64 = 64 << 30
    /// Entries one archive may list.
    public var entriesPerArchive: Int = 1_000_000
    /// Bytes of one member name recorded; a longer name is cut there (with a note giving its
    /// length and digest). Linux paths are at most 4096 bytes (`PATH_MAX`), so no extractor
    /// could create such a member, and a name past it is a trick, not a file.
    public var memberNameBytes: Int = 4096
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
            ("expansion_ratio_floor", expansionRatioFloor),
            ("member_name_bytes", Int64(memberNameBytes)),
            ("entries_per_archive", Int64(entriesPerArchive)),
            ("seekable_archive_bytes", seekableArchiveBytes),
            ("image_pixels", Int64(imagePixels)),
        ]
    }
}
