import BlindfoldCore

/// How a disk image's unallocated space is carved: on or off, the size caps, and when to stop.
public struct CarvingOptions: Sendable {
    /// Candidates are looked for at every multiple of this many bytes from the image's start:
    /// sector starts, and so every block start.
    public static let alignment: Int64 = 512

    /// False: no carving at all (`--no-carve`).
    public var enabled: Bool
    /// The largest picture carved (JPEG, PNG, GIF, BMP, WebP); a larger one is recorded
    /// `limit` at its offset, not read.
    public var maxItemBytes: Int64
    /// The largest video carved (MP4/MOV).
    public var maxVideoBytes: Int64
    /// Asked between windows of the search: true stops carving (an interruption, or a
    /// triage's time budget running out).
    public var shouldStop: @Sendable () -> Bool

    /// The default cap on a carved picture: 64 MiB.
    public static let defaultMaxItemBytes: Int64 = 64 << 20
    /// The default cap on a carved video: 4 GiB.
    public static let defaultMaxVideoBytes: Int64 = 4 << 30

    /// Options from their parts; the defaults carve with the default caps and never stop.
    public init(
        enabled: Bool = true, maxItemBytes: Int64 = CarvingOptions.defaultMaxItemBytes,
        maxVideoBytes: Int64 = CarvingOptions.defaultMaxVideoBytes,
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) {
        self.enabled = enabled
        self.maxItemBytes = maxItemBytes
        self.maxVideoBytes = maxVideoBytes
        self.shouldStop = shouldStop
    }
}

/// A run of bytes of a disk image to carve, and what kind of space it is.
public struct CarvingRegion: Sendable, Hashable {
    /// The first byte, from the image's start.
    public var offset: Int64
    /// The number of bytes.
    public var length: Int64
    /// The kind of space, with its partition and file system.
    public var origin: CarvedOrigin

    /// A region from its parts.
    public init(offset: Int64, length: Int64, origin: CarvedOrigin) {
        self.offset = offset
        self.length = length
        self.origin = origin
    }

    /// The first byte past the region.
    public var end: Int64 { offset + length }
}
