/// A hash plugin: a descriptor plus a factory of per-item sessions.
///
/// A plugin value is shared by every worker, so it must be `Sendable` and immutable. All
/// per-item state lives in the ``HashSession`` it makes, which one worker owns from `update` to
/// `finish` and which therefore needs no locks.
public protocol HashPlugin: Sendable {
    /// What the plugin is and what it accepts.
    var descriptor: HashPluginDescriptor { get }

    /// A fresh session for one item, or nil when the plugin does not apply to it.
    ///
    /// The scanner only calls this for items the descriptor accepts; a plugin may still decline
    /// by returning nil.
    func makeSession(for item: ItemContext) -> (any HashSession)?
}

/// Per-item hashing state. Not `Sendable`: one worker owns it for the item's lifetime.
public protocol HashSession: AnyObject {
    /// Feeds the next chunk of the item's bytes, in order.
    func update(_ chunk: UnsafeRawBufferPointer)

    /// Ends the item and returns what the plugin found.
    func finish() -> PluginOutcome
}

/// What one plugin concluded about one item.
public enum PluginOutcome: Sendable, Hashable {
    /// The plugin's values (`md5` → hex, `pdq` and `pdq_quality`, ...).
    case values([HashOutput])
    /// The plugin does not apply; nothing is recorded.
    case notApplicable
    /// The plugin failed on this item; recorded under `plugin_errors`, other plugins' values stand.
    case failure(PluginFailure)
}

/// Why a plugin failed on an item: a status word and a sentence without content.
public struct PluginFailure: Error, Sendable, Hashable {
    /// The status word that starts the recorded reason.
    public var status: ItemStatus
    /// A short sentence naming the problem, never quoting the item's bytes.
    public var reason: String

    /// A failure from its parts.
    public init(status: ItemStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// `status: reason`, as written to `plugin_errors`.
    public var recorded: String { "\(status.rawValue): \(reason)" }
}

/// What the scanner knows about an item when it chooses the plugins for it.
public struct ItemContext: Sendable, Hashable {
    /// The MIME type libmagic detected from the first bytes, if sniffing ran.
    public var mime: String?
    /// The item's size in bytes, when known before reading.
    public var size: Int64?
    /// True in a triage's first pass over a file on disk: a plugin that can answer in part
    /// quickly (vPDQ: the first seconds of a video) does so and says its answer is partial; the
    /// triage reads the item again, in full, when its budget allows.
    public var firstPass: Bool

    /// A context from its parts.
    public init(mime: String?, size: Int64?, firstPass: Bool = false) {
        self.mime = mime
        self.size = size
        self.firstPass = firstPass
    }
}
