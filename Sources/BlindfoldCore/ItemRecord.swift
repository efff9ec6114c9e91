/// Everything the manifest says about one item. Holds names and hashes, never content.
public struct ItemRecord: Sendable, Hashable {
    /// Where the item is.
    public var path: VirtualPath
    /// What kind of object it is.
    public var kind: ItemKind
    /// Its size in bytes, when known.
    public var size: Int64?
    /// Its modification time, when known.
    public var mtime: Timestamp?
    /// The MIME type libmagic detected from its first bytes.
    public var mime: String?
    /// libmagic's description.
    public var description: String?
    /// True when the name's extension contradicts the detected type.
    public var extensionMismatch: Bool?
    /// Plugin values, in plugin registration order.
    public var hashes: [HashOutput]
    /// Known-hash matches.
    public var matches: [Match]
    /// How reading went.
    public var status: ItemStatus
    /// Why, when `status` is not `ok`.
    public var reason: String?
    /// Plugins that failed on a readable item: plugin id → reason (starting with a status word).
    public var pluginErrors: [PluginErrorNote]
    /// Facts about how the item was handled that are not failures (a perceptual hash below the
    /// matching floor, plugins skipped for a known-good item), one sentence each.
    public var notes: [String] = []
    /// For symbolic links: the target, exactly as stored.
    public var linkTarget: PathBytes?
    /// For containers that were opened: what was found inside.
    public var container: ContainerInfo?
    /// True for a file a file system lists as deleted (its name is no longer allocated).
    public var deleted: Bool?
    /// A file written under the output folder for this item (a video's vPDQ frame lines).
    public var sidecar: SidecarFile?

    /// A record with the given identity and status and nothing else yet.
    public init(path: VirtualPath, kind: ItemKind, status: ItemStatus = .ok, reason: String? = nil) {
        self.path = path
        self.kind = kind
        self.status = status
        self.reason = reason
        self.hashes = []
        self.matches = []
        self.pluginErrors = []
    }

    /// The value a plugin wrote under `key`, if any.
    public func hash(_ key: String) -> HashValue? {
        hashes.first { $0.key == key }?.value
    }
}

/// A plugin that failed on an item that was otherwise read fine.
public struct PluginErrorNote: Sendable, Hashable {
    /// The plugin's id.
    public var plugin: String
    /// Why, starting with a status word (`corrupt: ...`).
    public var reason: String

    /// A note from its parts.
    public init(plugin: String, reason: String) {
        self.plugin = plugin
        self.reason = reason
    }
}

/// What the scanner found inside a container it opened.
public struct ContainerInfo: Sendable, Hashable {
    /// The container format (`zip`, `tar.gz`, `7z`, ...).
    public var format: String
    /// Members listed (directories included).
    public var members: Int
    /// Bytes the members produced.
    public var memberBytes: Int64
    /// For a disk image: its size, sectors and volume layout.
    public var disk: DiskLayout?

    /// Information from its parts.
    public init(format: String, members: Int, memberBytes: Int64, disk: DiskLayout? = nil) {
        self.format = format
        self.members = members
        self.memberBytes = memberBytes
        self.disk = disk
    }
}
