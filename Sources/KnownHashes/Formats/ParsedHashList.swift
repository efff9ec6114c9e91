import BlindfoldCore
import Signals

/// What one set file lists, as a parser produced it: exact digests per algorithm as flat
/// fixed-width records, PDQ entries, and the labels (category and series or tags) entries carry.
///
/// Flat records keep a 100-million-entry list at 20 bytes per SHA-1 in memory; the index
/// writer sorts them and the in-memory set hashes them.
struct ParsedHashList {
    /// The format name for the manifest header.
    var format: String
    /// Entries read (records, lines or rows, including ones that can never match).
    var entries = 0
    /// Exact digests, one table per algorithm in `DigestAlgorithm.allCases` order.
    var tables: [DigestRecords] = DigestAlgorithm.allCases.map { DigestRecords(algorithm: $0) }
    /// PDQ entries.
    var pdq: [PDQRecord] = []
    /// Entries of a keyed list (values of any plugin output key), in list order.
    var keyed: [KeyedRecord] = []
    /// Listed videos (vPDQ lists), their frames in order.
    var videos: [VPDQListFormat.Video] = []
    /// Entry labels; index 0 is "no label".
    private(set) var labels: [EntryLabel] = [EntryLabel()]
    private var labelIndex: [EntryLabel: UInt16] = [EntryLabel(): 0]
    /// The source's own version line (the NSRL `VERSION` row), when it has one.
    var sourceVersion: String?
    /// True when some labels lost their detail because there were more than 65,535 of them.
    private(set) var droppedDetails = false

    init(format: String) { self.format = format }

    /// The label index for `category` and `detail` (nil, nil is 0).
    mutating func label(category: String?, detail: String? = nil) -> UInt16 {
        let label = EntryLabel(category: category, detail: detail)
        if let known = labelIndex[label] { return known }
        guard labels.count <= Int(UInt16.max) else {
            // Details (series, tags) are free text; categories are few. Past 65,535 distinct
            // pairs the details go, the categories stay.
            droppedDetails = true
            return detail == nil ? 0 : self.label(category: category, detail: nil)
        }
        let index = UInt16(truncatingIfNeeded: labels.count)
        labels.append(label)
        labelIndex[label] = index
        return index
    }

    /// Adds the digest written as `hex`; false when it is not hex of the algorithm's length.
    @inline(__always)
    mutating func add<Characters: Collection>(hex: Characters, _ algorithm: DigestAlgorithm, label: UInt16 = 0) -> Bool
    where Characters.Element == UInt8 {
        tables[algorithm.tableIndex].append(hex: hex, label: label)
    }

    /// Adds a PDQ entry.
    mutating func add(pdq hash: PDQHash, quality: Int?, label: UInt16 = 0) {
        pdq.append(PDQRecord(hash: hash, quality: quality.map { UInt8(clamping: $0) } ?? PDQRecord.unknownQuality, label: label))
    }

    /// Digests added, per algorithm (before duplicates are removed).
    var digestCount: Int { tables.reduce(0) { $0 + $1.count } }
}

/// What an entry carries besides its digest: a category (VICS/CAID `Category`, a PDQ list's
/// category, NSRL's special code) and a free-text detail (VICS `Series`, PDQ tags).
struct EntryLabel: Hashable, Sendable {
    var category: String?
    var detail: String?
}

/// One PDQ entry of a set.
struct PDQRecord: Sendable {
    /// Quality not given by the list.
    static let unknownQuality: UInt8 = 255
    var hash: PDQHash
    /// 0 to 100, or ``unknownQuality``.
    var quality: UInt8
    /// Index into the set's labels.
    var label: UInt16
}

extension DigestAlgorithm {
    /// Position in `allCases`, and the algorithm's number in the index file.
    var tableIndex: Int {
        switch self {
        case .md5: 0
        case .sha1: 1
        case .sha256: 2
        }
    }

    /// Bytes in one digest.
    var byteWidth: Int { hexLength / 2 }
}
