import BlindfoldCore

/// One member as its container states it (none of it is trusted: names are data).
public struct ContainerEntry: Sendable, Hashable {
    /// The member's name exactly as stored (may contain `../`, be absolute, empty or not UTF-8).
    public var name: PathBytes
    /// What kind of object the member is.
    public var kind: ItemKind
    /// The declared size, when the container states one.
    public var declaredSize: Int64?
    /// The declared modification time.
    public var mtime: Timestamp?
    /// The target of a symbolic or hard link member.
    public var linkTarget: PathBytes?
    /// True for a hard link (its data belongs to another member).
    public var isHardLink: Bool
    /// True when the member's data is encrypted.
    public var isEncrypted: Bool
    /// True for a file its file system lists as deleted.
    public var isDeleted: Bool = false
    /// Where a disk-image member sits (partition, file system, inode).
    public var location: LayerLocation?
    /// Where a member carved from unallocated space lies in the disk image.
    public var carved: CarvedLocation?
    /// Why the member's data is not read although it is a regular file (a deleted name whose
    /// metadata now belongs to another file): the status and reason its record gets.
    public var withheld: ItemReadError?

    /// An entry from its parts.
    public init(
        name: PathBytes, kind: ItemKind, declaredSize: Int64? = nil, mtime: Timestamp? = nil,
        linkTarget: PathBytes? = nil, isHardLink: Bool = false, isEncrypted: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.declaredSize = declaredSize
        self.mtime = mtime
        self.linkTarget = linkTarget
        self.isHardLink = isHardLink
        self.isEncrypted = isEncrypted
    }
}

/// One step through a container.
public enum ContainerStep: Sendable, Hashable {
    /// The next member's header; read its data with ``Container/readData(into:)``.
    case entry(ContainerEntry)
    /// No more members.
    case end
    /// The container cannot be read further: the status and a reason without content.
    case failure(ItemStatus, String)
}
