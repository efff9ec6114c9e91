/// How reading an item went. Anything but ``ok`` comes with a reason in the record.
public enum ItemStatus: String, Sendable, CaseIterable, Codable, Comparable {
    /// Every byte was read and fed to the plugins.
    case ok
    /// The item exists but could not be opened or read (permissions, I/O error).
    case unreadable
    /// The item disappeared or was replaced between being listed and being read.
    case vanished
    /// The item's structure is damaged.
    case corrupt
    /// The item ends before its structure says it should.
    case truncated
    /// The item is encrypted and cannot be read without a key.
    case encrypted
    /// A configured limit stopped the reading (the reason names the limit).
    case limit
    /// The item's format is recognised but not supported.
    case unsupported
    /// Deliberately not read: excluded by the user, on another file system, or the scan was interrupted.
    case skipped
    /// A special file (FIFO, socket, device, symbolic link) that is recorded but never opened.
    case notOpened = "not-opened"

    /// Order of declaration, for stable summaries.
    public static func < (lhs: ItemStatus, rhs: ItemStatus) -> Bool {
        let order = ItemStatus.allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}
