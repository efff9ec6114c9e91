/// What kind of file-system object an item is.
///
/// Directories get no record of their own unless they could not be entered (then the record
/// says why, so that an examiner sees every part of the evidence that was not examined).
public enum ItemKind: String, Sendable, CaseIterable, Codable {
    case file
    case symlink
    case fifo
    case socket
    case blockDevice = "block-device"
    case charDevice = "char-device"
    case directory
    case other
}
