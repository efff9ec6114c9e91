import BlindfoldCore

/// One member header as the archive states it (none of it is trusted: names are data).
public struct ArchiveEntry: Sendable, Hashable {
    /// The member's name exactly as stored (may contain `../`, be absolute, empty or not UTF-8).
    public var name: PathBytes
    /// What kind of object the member is.
    public var kind: ItemKind
    /// The declared size, when the archive states one.
    public var declaredSize: Int64?
    /// The declared modification time.
    public var mtime: Timestamp?
    /// The target of a symbolic or hard link member.
    public var linkTarget: PathBytes?
    /// True for a hard link (its data belongs to another member).
    public var isHardLink: Bool
    /// True when the member's data is encrypted.
    public var isEncrypted: Bool
}

/// One step through an archive.
public enum ArchiveStep: Sendable, Hashable {
    /// The next member's header; read its data with ``ArchiveReader/readData(into:)``.
    case entry(ArchiveEntry)
    /// No more members.
    case end
    /// The archive cannot be read further: the status and a reason without content.
    case failure(ItemStatus, String)
}
