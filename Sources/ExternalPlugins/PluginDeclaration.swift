import BlindfoldCore
import Manifest

/// What an external plugin declared in its hello: who it is, what it writes, what it takes.
public struct PluginDeclaration: Sendable, Hashable {
    /// One declared output.
    public struct Output: Sendable, Hashable {
        /// The key under the item's `hashes`.
        public var key: String
        /// The kind its values must have.
        public var kind: PluginOutputKind

        /// An output from its parts.
        public init(key: String, kind: PluginOutputKind) {
            self.key = key
            self.kind = kind
        }
    }

    /// The plugin's name: its id in the header and its key under `plugin_errors`.
    public var name: String
    /// The plugin's own version.
    public var pluginVersion: String
    /// Its outputs, in declared order.
    public var outputs: [Output]
    /// The MIME patterns it accepts, as declared (`*`, `image/*`, `application/pdf`).
    public var mime: [String]
    /// The largest item it takes, if it declared one.
    public var maxBytes: Int64?

    /// The MIME filter the scanner applies (`*` is every item, including untyped ones).
    public var filter: MIMEFilter { MIMEFilter(mime.map { $0 == "*" ? "*/*" : $0 }) }

    /// The longest plugin version accepted.
    static let maxVersionLength = 64
    /// The most outputs one plugin may declare.
    static let maxOutputs = 32
    /// The most MIME patterns one plugin may declare.
    static let maxPatterns = 64

    /// The declaration in the plugin's hello frame.
    ///
    /// - Throws: ``HandshakeProblem`` naming what is wrong, in Blindfold's words (nothing the
    ///   plugin wrote is quoted).
    public init(hello frame: [UInt8]) throws(HandshakeProblem) {
        guard let value = try? JSONValue(parsing: frame), case .object(let members) = value else {
            throw .malformed("its hello is not a JSON object")
        }
        guard let fields = PluginMessage.fields(members) else { throw .malformed("its hello repeats a field") }
        guard fields["type"] == .string("hello") else { throw .malformed("its first message is not of type 'hello'") }
        guard case .int(let version)? = fields["version"] else { throw .malformed("its hello has no integer 'version'") }
        guard version == PluginFrame.version else { throw .version(version) }
        guard case .string(let name)? = fields["name"], Self.isName(name) else {
            throw .malformed("its 'name' is missing or not of the form [a-z][a-z0-9_-]{0,31}")
        }
        guard case .string(let pluginVersion)? = fields["plugin_version"],
            (1...Self.maxVersionLength).contains(pluginVersion.utf8.count),
            pluginVersion.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { throw .malformed("its 'plugin_version' is missing or not 1 to 64 printable ASCII characters without spaces") }
        guard case .array(let declared)? = fields["outputs"], (1...Self.maxOutputs).contains(declared.count) else {
            throw .malformed("its 'outputs' is missing, empty or longer than \(Self.maxOutputs)")
        }
        var outputs: [Output] = []
        for entry in declared {
            guard case .object(let parts) = entry,
                case .string(let key)? = parts.first(where: { $0.key == "key" })?.value, Self.isName(key),
                case .string(let kindName)? = parts.first(where: { $0.key == "kind" })?.value
            else { throw .malformed("an entry of its 'outputs' lacks a 'key' of the form [a-z][a-z0-9_-]{0,31} or a 'kind'") }
            guard let kind = PluginOutputKind(rawValue: kindName) else {
                throw .malformed("an output's 'kind' is not hex, base64, text or integer")
            }
            guard !outputs.contains(where: { $0.key == key }) else { throw .malformed("it declares the key '\(key)' twice") }
            outputs.append(Output(key: key, kind: kind))
        }
        guard case .object(let accepts)? = fields["accepts"] else { throw .malformed("its hello has no 'accepts' object") }
        guard case .array(let patterns)? = accepts.first(where: { $0.key == "mime" })?.value,
            (1...Self.maxPatterns).contains(patterns.count)
        else { throw .malformed("its 'accepts.mime' is missing, empty or longer than \(Self.maxPatterns)") }
        var mime: [String] = []
        for pattern in patterns {
            guard case .string(let text) = pattern, Self.isMIMEPattern(text) else {
                throw .malformed("an 'accepts.mime' pattern is not '*', 'type/*' or 'type/subtype'")
            }
            mime.append(text)
        }
        var maxBytes: Int64?
        if let limit = accepts.first(where: { $0.key == "max_bytes" })?.value {
            guard case .int(let number) = limit, number > 0 else {
                throw .malformed("its 'accepts.max_bytes' is not a positive integer")
            }
            maxBytes = number
        }
        self.name = name
        self.pluginVersion = pluginVersion
        self.outputs = outputs
        self.mime = mime
        self.maxBytes = maxBytes
    }

    /// True for `[a-z][a-z0-9_-]{0,31}`: a plugin name or an output key.
    public static func isName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first), bytes.count <= 32 else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// True for `*`, `*/*`, `type/*` and `type/subtype` made of the characters of MIME tokens.
    static func isMIMEPattern(_ text: String) -> Bool {
        if text == "*" || text == "*/*" { return true }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, text.utf8.count <= 127 else { return false }
        let token: (Substring) -> Bool = { part in
            !part.isEmpty && part.utf8.allSatisfy { byte in
                (0x21...0x7E).contains(byte) && !"()<>@,;:\\\"/[]?={}*".utf8.contains(byte)
            }
        }
        return token(parts[0]) && (parts[1] == "*" || token(parts[1]))
    }

    /// The declaration as the header records it (`outputs`, `accepts`).
    public var outputsJSON: JSONValue {
        .array(outputs.map { .object([("key", .string($0.key)), ("kind", .string($0.kind.rawValue))]) })
    }

    /// `accepts` as the header records it.
    public var acceptsJSON: JSONValue {
        var accepts = JSONObjectBuilder()
        accepts.add("mime", .array(mime.map { .string($0) }))
        accepts.add("max_bytes", maxBytes)
        return accepts.value
    }
}

/// Why a plugin's handshake was refused, in Blindfold's words.
public enum HandshakeProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The hello is not what the protocol asks for.
    case malformed(String)
    /// It speaks another protocol version.
    case version(Int64)
    /// It said nothing in time, or ended.
    case silent(String)
    /// It could not be started.
    case start(String)
    /// A key or name it declares is already taken.
    case taken(String)

    public var description: String {
        switch self {
        case .malformed(let what): "malformed handshake: \(what)"
        case .version(let version): "it speaks blindfold-plugin/\(version), this scanner blindfold-plugin/\(PluginFrame.version)"
        case .silent(let how): "no handshake: the plugin \(how)"
        case .start(let why): "it could not be started (\(why))"
        case .taken(let what): what
        }
    }
}
