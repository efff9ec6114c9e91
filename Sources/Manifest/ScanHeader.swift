import BlindfoldCore

/// The manifest's first line (`"record": "scan"`): what ran, on what, with which sets, limits
/// and options. The scanner builds it from its configuration; only ``manifestJSON`` writes it
/// and ``init(manifestJSON:)`` reads it back, so field order is fixed in one place.
public struct ScanHeader: Sendable, Hashable {
    /// The schema this manifest follows.
    public static let schema = "blindfold.manifest/1"

    /// The program that wrote the manifest.
    public struct Tool: Sendable, Hashable {
        /// `blindfold`.
        public var name: String
        /// Its version.
        public var version: String

        /// A tool from its parts.
        public init(name: String = "blindfold", version: String) {
            self.name = name
            self.version = version
        }
    }

    /// A plugin that ran, in the order its values appear under `hashes`.
    public struct Plugin: Sendable, Hashable {
        /// Its id.
        public var id: String
        /// Its version.
        public var version: String
        /// Options the plugin reports for itself, in its own order (written only when there are some).
        public var options: [JSONField]
        /// An external plugin's trace (issue #16, docs/PLUGINS.md): its executable's path and
        /// SHA-256 and everything it declared; nil for a built-in plugin.
        public var external: JSONValue?
        /// Fields of the entry this version does not know.
        public var preserved = PreservedFields()

        /// An entry from its parts.
        public init(id: String, version: String, options: [JSONField] = []) {
            self.id = id
            self.version = version
            self.options = options
        }
    }

    /// A known-hash set the scan matched against.
    public struct HashSet: Sendable, Hashable {
        /// The set's name.
        public var name: String
        /// Its role.
        public var role: HashSetRole
        /// Its file format.
        public var format: String
        /// Its entries.
        public var entries: Int
        /// SHA-256 of the set file as read.
        public var sha256: String

        /// An entry from its parts.
        public init(name: String, role: HashSetRole, format: String, entries: Int, sha256: String) {
            self.name = name
            self.role = role
            self.format = format
            self.entries = entries
            self.sha256 = sha256
        }
    }

    /// A limit in force.
    public struct Limit: Sendable, Hashable {
        /// Its name (`archive_depth`, ...).
        public var name: String
        /// Its value.
        public var value: Int64

        /// A limit from its parts.
        public init(name: String, value: Int64) {
            self.name = name
            self.value = value
        }
    }

    /// The schema named by the line.
    public var schema = ScanHeader.schema
    /// The program.
    public var tool: Tool
    /// When the scan started.
    public var started: Timestamp
    /// The roots as absolute canonical paths (`\xHH` for bytes that are not UTF-8).
    public var roots: [String]
    /// The plugins, in output order.
    public var plugins: [Plugin]
    /// The known-hash sets.
    public var hashSets: [HashSet]
    /// Every limit in force, in order.
    public var limits: [Limit]
    /// What changes coverage or results, as ordered name/value pairs.
    public var options: [JSONField]
    /// The exact build: commit, toolchain, library versions, magic database (written when known).
    public var build: JSONValue?
    /// Sharded scans (#17, docs/SCALE-OUT.md): a shard's `shard` object, or a merged
    /// manifest's `shards` object; nil in a single scan's header.
    public var shard: JSONValue?
    public var shards: JSONValue?
    /// When each later run of a resumed scan started (written only after a resume).
    public var resumed: [Timestamp] = []
    /// Fields of the line this version does not know.
    public var preserved = PreservedFields()

    /// A header from its parts.
    public init(
        tool: Tool, started: Timestamp, roots: [String], plugins: [Plugin], hashSets: [HashSet], limits: [Limit],
        options: [JSONField]
    ) {
        self.tool = tool
        self.started = started
        self.roots = roots
        self.plugins = plugins
        self.hashSets = hashSets
        self.limits = limits
        self.options = options
    }
}
