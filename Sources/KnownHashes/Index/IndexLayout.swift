/// The `.bfhs` index file layout, version 1 (docs/HASHSETS.md draws it byte by byte).
///
/// All integers are little-endian. A 64-byte header, a section directory, then sections each
/// starting at a multiple of 64:
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `42 46 48 53 0D 0A 1A 0A` ("BFHS\r\n\x1a\n") |
/// | 8 | 4 | version (1) |
/// | 12 | 4 | header size (64) |
/// | 16 | 8 | file size |
/// | 24 | 4 | section count |
/// | 28 | 4 | flags (0) |
/// | 32 | 32 | SHA-256 of bytes 64 to the end |
///
/// Directory entry (32 bytes): kind u32, parameter u32, offset u64, length u64, count u64.
enum IndexLayout {
    static let magic: [UInt8] = [0x42, 0x46, 0x48, 0x53, 0x0D, 0x0A, 0x1A, 0x0A]
    static let version: UInt32 = 1
    static let headerSize = 64
    static let directoryEntrySize = 32
    static let sectionAlignment = 64
    /// Sub-header of a digest or PDQ section.
    static let sectionHeaderSize = 16

    /// Section kinds.
    enum Kind: UInt32 {
        /// UTF-8 JSON: name, role, source, labels (``IndexMetadata``).
        case metadata = 1
        /// Sorted digests of one algorithm (parameter: 1 MD5, 2 SHA-1, 3 SHA-256).
        case digests = 2
        /// PDQ hashes with quality and label.
        case pdq = 3
        /// Keyed-list entries, `KEY 	 VALUE`, sorted, with labels (``KeyedTable``).
        case keyed = 4
        /// vPDQ: the frames of listed videos, in video then frame order (parameter 0).
        case vpdq = 5
    }

    /// Flag bit of a section sub-header: a label array follows the records.
    static let labelledFlag: UInt32 = 1

    /// Prefix bits of the bucket table for `count` digests: about 8 to 16 digests a bucket,
    /// at most 2^24 buckets (64 MiB). Lookups no longer read this table: they use a coarser
    /// copy of it made at open (``CoarseBuckets``) and interpolate inside its buckets; the
    /// file keeps this size so that indexes already written stay valid.
    static func bucketBits(for count: Int) -> Int {
        guard count >= 64 else { return 0 }
        return min(24, (Int.bitWidth - 1 - count.leadingZeroBitCount) - 3)
    }

    /// The bucket of the digest at `digest` in a table of `bits` prefix bits: its leading bits.
    static func bucket(of digest: UnsafePointer<UInt8>?, bits: Int) -> Int {
        guard bits > 0, let digest else { return 0 }
        let leading = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        return Int(leading >> UInt32(32 - bits))
    }

    /// `value` rounded up to a multiple of `alignment`.
    static func aligned(_ value: Int, _ alignment: Int = sectionAlignment) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    /// Byte length of a digest section.
    static func digestSectionLength(count: Int, width: Int, bucketBits: Int, labelled: Bool) -> Int {
        let table = ((1 << bucketBits) + 1) * 4
        let records = aligned(sectionHeaderSize + table, 8) + count * width
        return labelled ? aligned(records, 2) + count * 2 : records
    }

    /// Byte length of a vPDQ section: the sub-header (frame count u64, video count u32, 0 u32),
    /// then per frame its hash (4 words), then per frame its quality (u8), then (from a multiple
    /// of 4) per frame its video's number (u32, an index into the metadata's `vpdq_videos`).
    static func vpdqSectionLength(count: Int) -> Int {
        aligned(sectionHeaderSize + count * 33, 4) + count * 4
    }

    /// Byte length of a PDQ section.
    static func pdqSectionLength(count: Int) -> Int {
        aligned(sectionHeaderSize + count * 33, 2) + count * 2
    }
}

/// The algorithm numbers digest sections use.
extension DigestAlgorithm {
    /// 1 MD5, 2 SHA-1, 3 SHA-256.
    var indexNumber: UInt32 { UInt32(tableIndex + 1) }

    init?(indexNumber: UInt32) {
        guard indexNumber >= 1, indexNumber <= 3 else { return nil }
        self = Self.allCases[Int(indexNumber) - 1]
    }
}
