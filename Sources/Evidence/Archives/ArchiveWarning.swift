/// A warning libarchive raised about one member, in Blindfold's own words.
///
/// libarchive's warning text is never recorded: it can be long, changes between versions, and
/// some readers could put bytes of the archive in it. It is mapped to one of these kinds,
/// recorded in the member's `notes` as `kind: sentence`. A member with a warning keeps its
/// status (`ok` when every byte was produced): its digests are those of the bytes as stored,
/// and the note says why they may differ from what the archiver was given.
public enum ArchiveWarning: String, Sendable, CaseIterable {
    /// The data does not match the CRC or checksum its header records.
    case crcMismatch = "crc_mismatch"
    /// The data is longer or shorter than the size its header declares.
    case sizeMismatch = "size_mismatch"
    /// The member's name could not be converted from the charset the archive declares.
    case nameNotConvertible = "name_not_convertible"
    /// Any other warning.
    case otherWarning = "archive_warning"

    /// The kind of a libarchive warning message (matched on libarchive's own words only).
    public init(message: String) {
        let text = message.lowercased()
        if text.contains("crc") || text.contains("checksum") {
            self = .crcMismatch
        } else if text.contains("size") && (text.contains("wrong") || text.contains("mismatch") || text.contains("expected")) {
            self = .sizeMismatch
        } else if text.contains("cannot be converted") || text.contains("can't be converted") {
            self = .nameNotConvertible
        } else {
            self = .otherWarning
        }
    }

    /// The note recorded on the member.
    public var note: String {
        switch self {
        case .crcMismatch:
            "crc_mismatch: the member's data does not match the CRC its header records; its digests are of the bytes as stored"
        case .sizeMismatch:
            "size_mismatch: the member produced a different number of bytes than its header declares; its digests are of the bytes produced"
        case .nameNotConvertible:
            "name_not_convertible: the member's name is not valid in the charset the archive declares"
        case .otherWarning:
            "archive_warning: the archive reader warned about this member (its message is not recorded)"
        }
    }
}
