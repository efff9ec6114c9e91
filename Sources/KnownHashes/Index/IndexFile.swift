import BlindfoldCore
import Signals

/// A `.bfhs` index, mapped and checked: header, size, checksum and every section's bounds are
/// verified on open, so a corrupted or truncated file is refused before it is used.
public struct IndexFile: Sendable {
    /// What the index says about itself and its source.
    public let metadata: IndexMetadata
    /// Hex SHA-256 of the index body, as recorded in (and checked against) the header.
    public let bodySHA256: String
    /// The index file's size in bytes.
    public let fileSize: Int
    let file: MappedFile
    let tables: [DigestTable]
    /// `tables` by `DigestAlgorithm.tableIndex`.
    private let tableSlots: [DigestTable?]
    /// The PDQ section's place, if any: (offset of the hashes, count).
    let pdq: (offset: Int, count: Int)?
    /// The keyed section (entries of a keyed list), if any.
    let keyed: KeyedTable?
    /// The vPDQ section's place, if any: (offset of the hashes, frames, videos).
    let vpdq: (offset: Int, count: Int, videos: Int)?

    /// True when `prefix` (the first bytes of a file) starts with the index magic.
    public static func recognises(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.starts(with: IndexLayout.magic)
    }

    /// Opens and checks the index at `path`.
    public init(path: String) throws(HashSetError) {
        let file = try MappedFile(path: path, minimumSize: IndexLayout.headerSize)
        func corrupt(_ reason: String) -> HashSetError {
            HashSetError(file: path, reason: "corrupt index: \(reason)")
        }
        guard file.bytes.starts(with: IndexLayout.magic) else {
            throw HashSetError(file: path, reason: "not a Blindfold index (.bfhs): wrong magic bytes")
        }
        let version = file.load(8, as: UInt32.self)
        guard version == IndexLayout.version else {
            throw HashSetError(
                file: path, reason: "index format version \(version) is not supported (this blindfold reads version \(IndexLayout.version)): import the set again")
        }
        guard file.load(12, as: UInt32.self) == UInt32(IndexLayout.headerSize) else { throw corrupt("wrong header size") }
        let recordedSize = file.load(16, as: UInt64.self)
        guard recordedSize == UInt64(file.bytes.count) else {
            throw HashSetError(
                file: path, reason: "truncated or extended index: \(file.bytes.count) bytes, the header says \(recordedSize)")
        }
        let recordedDigest = Array(file.bytes[32..<64])
        guard try file.digest(from: IndexLayout.headerSize) == recordedDigest else {
            throw corrupt("checksum mismatch (the file was changed or damaged after it was written)")
        }
        let sectionCount = Int(file.load(24, as: UInt32.self))
        let directoryEnd = IndexLayout.headerSize + sectionCount * IndexLayout.directoryEntrySize
        guard sectionCount >= 1, sectionCount <= 16, directoryEnd <= file.bytes.count else {
            throw corrupt("bad section directory")
        }

        var metadata: IndexMetadata?
        var tables: [DigestTable] = []
        var pdq: (offset: Int, count: Int)?
        var keyed: KeyedTable?
        var vpdq: (offset: Int, count: Int, videos: Int)?
        for index in 0..<sectionCount {
            let entry = IndexLayout.headerSize + index * IndexLayout.directoryEntrySize
            let kind = IndexLayout.Kind(rawValue: file.load(entry, as: UInt32.self))
            let parameter = file.load(entry + 4, as: UInt32.self)
            let offset = file.load(entry + 8, as: UInt64.self)
            let length = file.load(entry + 16, as: UInt64.self)
            let count = file.load(entry + 24, as: UInt64.self)
            guard offset >= UInt64(directoryEnd), offset % UInt64(IndexLayout.sectionAlignment) == 0, length <= UInt64(file.bytes.count), offset <= UInt64(file.bytes.count) - length,
                count < UInt64(UInt32.max)
            else { throw corrupt("section \(index) lies outside the file") }
            let start = Int(offset), size = Int(length), entries = Int(count)
            switch kind {
            case .metadata:
                metadata = IndexMetadata(decoding: UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + size)]))
                guard metadata != nil else { throw corrupt("unreadable metadata") }
            case .digests:
                guard let algorithm = DigestAlgorithm(indexNumber: parameter), size >= IndexLayout.sectionHeaderSize else {
                    throw corrupt("section \(index) has an unknown algorithm")
                }
                let bits = Int(file.load(start, as: UInt32.self))
                let labelled = file.load(start + 4, as: UInt32.self) & IndexLayout.labelledFlag != 0
                guard bits <= 24, Int(file.load(start + 8, as: UInt64.self)) == entries,
                    IndexLayout.digestSectionLength(count: entries, width: algorithm.byteWidth, bucketBits: bits, labelled: labelled) == size
                else { throw corrupt("section \(index) has the wrong size") }
                let bucketOffset = start + IndexLayout.sectionHeaderSize
                let digestOffset = IndexLayout.aligned(bucketOffset + ((1 << bits) + 1) * 4, 8)
                let labelOffset = IndexLayout.aligned(digestOffset + entries * algorithm.byteWidth, 2)
                guard let buckets = CoarseBuckets(file: file, offset: bucketOffset, fileBits: bits, count: entries) else {
                    throw corrupt("section \(index) has a bucket table out of order")
                }
                tables.append(DigestTable(
                    algorithm: algorithm, count: entries, digestOffset: digestOffset,
                    labelOffset: labelled ? labelOffset : nil, buckets: buckets))
            case .pdq:
                guard size == IndexLayout.pdqSectionLength(count: entries) else {
                    throw corrupt("section \(index) has the wrong size")
                }
                pdq = (start + IndexLayout.sectionHeaderSize, entries)
            case .keyed:
                keyed = KeyedTable(file: file, start: start, length: size, entries: entries)
                guard keyed != nil else { throw corrupt("section \(index) has the wrong size or entry offsets") }
            case .vpdq:
                guard size == IndexLayout.vpdqSectionLength(count: entries), Int(file.load(start, as: UInt64.self)) == entries
                else { throw corrupt("section \(index) has the wrong size") }
                vpdq = (start + IndexLayout.sectionHeaderSize, entries, Int(file.load(start + 8, as: UInt32.self)))
            case nil:
                throw corrupt("section \(index) is of an unknown kind")
            }
        }
        guard let metadata else { throw corrupt("no metadata section") }
        if let vpdq {
            // Every frame's video number must name a listed video.
            guard metadata.videoNames?.count == vpdq.videos else { throw corrupt("the vPDQ section's videos are not named") }
            let owners = IndexLayout.aligned(vpdq.offset + vpdq.count * 33, 4)
            for frame in 0..<vpdq.count where Int(file.load(owners + frame * 4, as: UInt32.self)) >= vpdq.videos {
                throw corrupt("a vPDQ frame names no listed video")
            }
        }
        self.metadata = metadata
        self.file = file
        self.tables = tables
        tableSlots = DigestAlgorithm.allCases.map { algorithm in tables.first { $0.algorithm == algorithm } }
        self.pdq = pdq
        self.keyed = keyed
        self.vpdq = vpdq
        fileSize = file.bytes.count
        bodySHA256 = Hex.encode(recordedDigest)
    }

    /// Distinct digests per algorithm, and PDQ entries under `pdq`.
    public var counts: [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables { counts[table.algorithm.rawValue] = table.count }
        if let pdq { counts["pdq"] = pdq.count }
        if let keyed { counts["keyed"] = keyed.count }
        if let vpdq {
            counts["vpdq_videos"] = vpdq.videos
            counts["vpdq_frames"] = vpdq.count
        }
        return counts
    }

    /// The listed videos of the vPDQ section, their frames in list order (hash and quality;
    /// the index keeps no frame numbers or times, which matching does not use).
    func vpdqVideos() -> [VPDQListFormat.Video] {
        guard let vpdq, let names = metadata.videoNames else { return [] }
        var videos = names.map { VPDQListFormat.Video(name: $0, features: []) }
        let qualities = vpdq.offset + vpdq.count * 32
        let owners = IndexLayout.aligned(qualities + vpdq.count, 4)
        for frame in 0..<vpdq.count {
            let base = vpdq.offset + frame * 32
            let hash = PDQHash(words: (
                file.load(base, as: UInt64.self), file.load(base + 8, as: UInt64.self),
                file.load(base + 16, as: UInt64.self), file.load(base + 24, as: UInt64.self)))
            let video = Int(file.load(owners + frame * 4, as: UInt32.self))
            let number = videos[video].features.count
            videos[video].features.append(VPDQFeature(
                frameNumber: number, quality: Int(file.load(qualities + frame, as: UInt8.self)), hash: hash, timestamp: 0))
        }
        return videos
    }

    /// Label indexes in use, with the number of entries carrying each (digests and PDQ).
    public var categoryCounts: [String: Int] {
        var counts: [String: Int] = [:]
        func count(label: UInt16) {
            let name = Int(label) < metadata.labels.count ? metadata.labels[Int(label)].category : nil
            counts[name ?? "(none)", default: 0] += 1
        }
        for table in tables {
            guard let offset = table.labelOffset else {
                counts["(none)", default: 0] += table.count
                continue
            }
            for index in 0..<table.count { count(label: file.load(offset + index * 2, as: UInt16.self)) }
        }
        for record in pdqRecords() { count(label: record.label) }
        for label in keyed?.labels(in: file) ?? [] { count(label: label) }
        return counts
    }

    /// The PDQ entries, copied out of the mapping.
    func pdqRecords() -> [PDQRecord] {
        guard let pdq else { return [] }
        let qualities = pdq.offset + pdq.count * 32
        let labels = IndexLayout.aligned(qualities + pdq.count, 2)
        return (0..<pdq.count).map { index in
            let base = pdq.offset + index * 32
            let hash = PDQHash(words: (
                file.load(base, as: UInt64.self), file.load(base + 8, as: UInt64.self),
                file.load(base + 16, as: UInt64.self), file.load(base + 24, as: UInt64.self)))
            return PDQRecord(
                hash: hash, quality: file.load(qualities + index, as: UInt8.self),
                label: file.load(labels + index * 2, as: UInt16.self))
        }
    }

    /// The digest table of `algorithm`, if the index has one.
    @inline(__always)
    func table(for algorithm: DigestAlgorithm) -> DigestTable? {
        tableSlots[algorithm.tableIndex]
    }

    /// The label of `value` listed under `key` in the keyed section, or nil when it is not
    /// listed (or the index has no keyed section).
    func label(key: String, value: String) -> UInt16? {
        keyed?.label(of: KeyedRecords.entry(key: key, value: value), in: file)
    }

    /// True when the digest written as `hex` (either case) is in the index: the bare lookup,
    /// without building matches.
    public func contains(hex: UnsafeBufferPointer<UInt8>, algorithm: DigestAlgorithm) -> Bool {
        guard let table = table(for: algorithm) else { return false }
        return label(ofHex: hex, in: table) != nil
    }

    /// The label of the digest written as `hex` in `table`, or nil when it is not listed (or
    /// not hex of the table's width). Decodes on the stack: this is the per-item hot path.
    func label(ofHex hex: UnsafeBufferPointer<UInt8>, in table: DigestTable) -> UInt16? {
        let width = table.algorithm.byteWidth
        guard hex.count == width * 2 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digest -> UInt16? in
            // One check after the loop instead of a branch per byte: any bad digit sets 0x100.
            var invalid: UInt16 = 0
            for index in 0..<width {
                let byte = HexTable.byte(hex[2 * index], hex[2 * index + 1])
                invalid |= byte
                digest[index] = UInt8(truncatingIfNeeded: byte)
            }
            guard invalid <= 0xFF, let base = digest.baseAddress else { return nil }
            return table.label(of: UnsafePointer(base), in: file)
        }
    }
}
