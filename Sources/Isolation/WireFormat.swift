import BlindfoldCore

/// The bytes between the scanner and a decoder worker. Public and versioned: a worker and a
/// scanner of different wire versions refuse each other at once instead of misreading frames.
///
/// Every message is a **frame**: an 8-byte little-endian length `N`, then `N` bytes. Inside a
/// frame, integers are 8-byte little-endian, strings a length then UTF-8; the item's bytes are
/// carried, never interpreted.
///
/// 1. Hello, the worker's first frame, unasked: `BFWH`, ``version``, the number of plugins,
///    then each plugin's id and identity (``HashPluginDescriptor/identity``: its version and
///    output-changing options). The scanner refuses a worker whose version differs, which says
///    nothing before the handshake deadline, or whose identity for a plugin differs from the
///    one the manifest header records.
/// 2. Request (scanner → worker): `BFWQ`, plugin id, MIME type, declared size (-1 unknown),
///    flags (bit 0: a triage's first pass, ``ItemContext/firstPass``), payload (length, bytes).
/// 2b. Descriptor request (scanner → worker): `BFWD`, plugin id, MIME type, declared size,
///    flags, and nothing after: the frame ends there. Right after it the scanner sends the item's
///    read-only descriptor as one marker byte with `SCM_RIGHTS` (``DescriptorPassing``). The
///    worker reads exactly the frame's length, never past it (a plain read of the marker byte
///    would drop the descriptor), then receives the descriptor, checks that it is a regular
///    file open read-only, lets the plugin read it with `pread`, and closes it.
/// 3. Response (worker → scanner): `BFWR`, then the outcome: 0 values (count, then per value
///    its key, a type — 0 hex, 1 integer, 2 hex list, 3 text — and the value), 1 not applicable,
///    2 failure (status word, reason).
///
/// Both sides parse frames with ``WireReader`` and build them with ``WireWriter``.
public enum WireFormat {
    /// The version this build speaks; bump it for any change in the frames above.
    public static let version: Int64 = 4
    static let helloMagic: [UInt8] = Array("BFWH".utf8)
    static let requestMagic: [UInt8] = Array("BFWQ".utf8)
    static let descriptorRequestMagic: [UInt8] = Array("BFWD".utf8)
    static let responseMagic: [UInt8] = Array("BFWR".utf8)
    /// The largest frame a worker answers with (values and reasons are short).
    static let maxResponseFrame = 1 << 24
    /// The longest text value (vPDQ's frame lines): bounded by the response frame only.
    static let textLimit = maxResponseFrame
    /// The most plugins a hello may list.
    static let maxPlugins = 64
}

/// The worker's hello: the wire version it speaks and the identity of each plugin it runs.
public struct WorkerHello: Sendable, Hashable {
    /// The wire version.
    public var version: Int64
    /// Plugin id → identity (`1;dihedral=false;fast=true`).
    public var identities: [String: String]

    /// A hello from its parts.
    public init(version: Int64 = WireFormat.version, identities: [String: String]) {
        self.version = version
        self.identities = identities
    }
}

/// A request: which plugin, what the scanner knows of the item, and its bytes or its file.
struct WorkerRequest {
    var pluginID: String
    var context: ItemContext
    /// The item's bytes (empty for a descriptor request).
    var payload: [UInt8]
    /// True for a descriptor request (`BFWD`): the item's descriptor follows the frame.
    var announcesDescriptor = false

    /// The frame up to the payload (the payload is sent after it, without a copy); a
    /// descriptor request's whole frame.
    func encodedHeader() -> [UInt8] {
        var writer = WireWriter()
        writer.bytes(announcesDescriptor ? WireFormat.descriptorRequestMagic : WireFormat.requestMagic)
        writer.string(pluginID)
        writer.string(context.mime ?? "")
        writer.integer(context.size ?? -1)
        writer.integer(context.firstPass ? 1 : 0)
        if !announcesDescriptor { writer.integer(Int64(payload.count)) }
        var frame = WireWriter()
        frame.integer(Int64(writer.buffer.count + payload.count))
        return frame.buffer + writer.buffer
    }
}

/// Appends fields to a byte buffer.
public struct WireWriter {
    /// What was written so far.
    public private(set) var buffer: [UInt8] = []

    /// An empty buffer.
    public init() {}

    /// Appends raw bytes.
    public mutating func bytes(_ value: [UInt8]) { buffer += value }

    /// Appends an 8-byte little-endian integer.
    public mutating func integer(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { buffer += $0 }
    }

    /// Appends a length and the UTF-8 bytes.
    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        integer(Int64(utf8.count))
        buffer += utf8
    }

    /// This buffer as one frame: its length, then its bytes.
    public var framed: [UInt8] {
        var frame = WireWriter()
        frame.integer(Int64(buffer.count))
        return frame.buffer + buffer
    }

    /// Appends a hello.
    public mutating func hello(_ hello: WorkerHello) {
        bytes(WireFormat.helloMagic)
        integer(hello.version)
        integer(Int64(hello.identities.count))
        for (id, identity) in hello.identities.sorted(by: { $0.key < $1.key }) {
            string(id)
            string(identity)
        }
    }

    /// Appends a response.
    public mutating func outcome(_ outcome: PluginOutcome) {
        bytes(WireFormat.responseMagic)
        switch outcome {
        case .values(let outputs):
            integer(0)
            integer(Int64(outputs.count))
            for output in outputs {
                string(output.key)
                switch output.value {
                case .hex(let hex):
                    integer(0)
                    string(hex)
                case .integer(let number):
                    integer(1)
                    integer(Int64(number))
                case .hexList(let list):
                    integer(2)
                    integer(Int64(list.count))
                    for item in list { string(item) }
                case .text(let text):
                    integer(3)
                    string(text)
                }
            }
        case .notApplicable:
            integer(1)
        case .failure(let failure):
            integer(2)
            string(failure.status.rawValue)
            string(failure.reason)
        }
    }
}

/// Reads fields back; every read is bounds-checked, so a garbled message is an error, not a trap.
public struct WireReader {
    private let buffer: [UInt8]
    private var offset = 0

    /// The frame does not hold what was expected.
    public struct Malformed: Error {}

    /// A reader of one frame's bytes (without its length).
    public init(_ buffer: [UInt8]) { self.buffer = buffer }

    /// Bytes not read yet.
    public var remaining: Int { buffer.count - offset }

    /// The next `count` bytes.
    public mutating func bytes(_ count: Int) throws(Malformed) -> ArraySlice<UInt8> {
        guard count >= 0, count <= buffer.count - offset else { throw Malformed() }
        defer { offset += count }
        return buffer[offset..<offset + count]
    }

    /// The next 8-byte little-endian integer.
    public mutating func integer() throws(Malformed) -> Int64 {
        Self.integer(try bytes(8))
    }

    /// The next string, at most `limit` bytes long.
    public mutating func string(limit: Int = 1 << 20) throws(Malformed) -> String {
        let count = try integer()
        guard count >= 0, count <= limit else { throw Malformed() }
        return String(decoding: try bytes(Int(count)), as: UTF8.self)
    }

    /// An 8-byte little-endian integer from its bytes (a frame's length, say).
    public static func integer(_ raw: some Collection<UInt8>) -> Int64 {
        var value: UInt64 = 0
        for (index, byte) in raw.prefix(8).enumerated() { value |= UInt64(byte) << UInt64(index * 8) }
        return Int64(bitPattern: value)
    }

    /// A hello. The version is read first, so a worker of another version is recognised even
    /// when the rest of its hello has another shape.
    public mutating func hello() throws(Malformed) -> WorkerHello {
        guard Array(try bytes(4)) == WireFormat.helloMagic else { throw Malformed() }
        let version = try integer()
        guard version == WireFormat.version else { return WorkerHello(version: version, identities: [:]) }
        let count = try integer()
        guard (0...Int64(WireFormat.maxPlugins)).contains(count) else { throw Malformed() }
        var identities: [String: String] = [:]
        for _ in 0..<count {
            let id = try string(limit: 256)
            identities[id] = try string(limit: 4096)
        }
        return WorkerHello(version: version, identities: identities)
    }

    /// A request, with its bytes or announcing a descriptor (which the caller receives next).
    mutating func request() throws(Malformed) -> WorkerRequest {
        let magic = Array(try bytes(4))
        let announcesDescriptor = magic == WireFormat.descriptorRequestMagic
        guard announcesDescriptor || magic == WireFormat.requestMagic else { throw Malformed() }
        let id = try string(limit: 256)
        let mime = try string(limit: 1024)
        let size = try integer()
        let flags = try integer()
        var payload: [UInt8] = []
        if announcesDescriptor {
            guard remaining == 0 else { throw Malformed() }
        } else {
            let count = try integer()
            guard count >= 0, count <= Int64(Int.max) else { throw Malformed() }
            payload = Array(try bytes(Int(count)))
        }
        let context = ItemContext(mime: mime.isEmpty ? nil : mime, size: size < 0 ? nil : size, firstPass: flags & 1 != 0)
        return WorkerRequest(pluginID: id, context: context, payload: payload, announcesDescriptor: announcesDescriptor)
    }

    /// A response.
    public mutating func outcome() throws(Malformed) -> PluginOutcome {
        guard Array(try bytes(4)) == WireFormat.responseMagic else { throw Malformed() }
        switch try integer() {
        case 0:
            let count = try integer()
            guard (0...64).contains(count) else { throw Malformed() }
            var outputs: [HashOutput] = []
            for _ in 0..<count {
                let key = try string(limit: 256)
                switch try integer() {
                case 0: outputs.append(HashOutput(key: key, value: .hex(try string(limit: 4096))))
                case 1: outputs.append(HashOutput(key: key, value: .integer(Int(truncatingIfNeeded: try integer()))))
                case 2:
                    let items = try integer()
                    guard (0...64).contains(items) else { throw Malformed() }
                    var list: [String] = []
                    for _ in 0..<items { list.append(try string(limit: 4096)) }
                    outputs.append(HashOutput(key: key, value: .hexList(list)))
                case 3: outputs.append(HashOutput(key: key, value: .text(try string(limit: WireFormat.textLimit))))
                default: throw Malformed()
                }
            }
            return .values(outputs)
        case 1:
            return .notApplicable
        case 2:
            guard let status = ItemStatus(rawValue: try string(limit: 64)) else { throw Malformed() }
            return .failure(PluginFailure(status: status, reason: try string(limit: 4096)))
        default:
            throw Malformed()
        }
    }
}
