import BlindfoldCore
import Evidence

/// The frames between the scanner and a **container worker** (a parser in its own process),
/// added to ``WireFormat`` without changing its existing frames: the same 8-byte length prefix,
/// the same field encoding, and the same hello (a container worker lists the container formats
/// it parses, `archive`, where a decoder worker lists plugins).
///
/// The exchange is a pull driven by the scanner, the ``Container`` contract on a socket:
///
/// | scanner → worker | worker → scanner |
/// |---|---|
/// | `open` (format id, streamed or in memory with the bytes) | `layout` (a disk image's), then `opened`; or `failure` |
/// | `openFiles` (format id, each file's size), then one descriptor per file (`SCM_RIGHTS`) | the same |
/// | `next` | `entry`, `end` or `failure`; a small member's entry is followed, unasked, by its data (see below) |
/// | `read` (at most N bytes) | `data` (empty at the member's end, after `notes` when the parser has any) or `readFailure` |
/// | `close` (the scanner stops early) | `closed` |
/// | `block` / `blockFailure`, only as the answer to `needBlock` | `needBlock`, at any point before its answer |
/// | | `progress` (bytes the parser read from its files so far), at any point |
///
/// `openFiles` hands the worker the read-only descriptors the scanner opened (one per segment
/// of a split or multi-segment image), never a path: the parser reads them with `pread`. Both
/// opens may say `skip through partition k`: a fresh worker then leaves out the file systems
/// up to that partition, and goes on after the one whose parser took the last worker down.
///
/// A member whose header declares at most ``prefetchLimit`` bytes is *pushed*: the worker sends
/// its entry (marked so), then `data` frames without being asked, until an empty one (its end),
/// a `readFailure`, or more than ``prefetchLimit`` bytes (the rest is read with `read` as
/// usual). A small member then costs one round trip, and a parser that dies inside its data
/// still leaves the member's entry behind, as in the scanner.
///
/// Every frame starts `BFC` and one kind byte. Names, link targets and member data are carried
/// as bytes, never interpreted; reasons are the parser's own sentences, which hold no content.
enum ContainerWire {
    /// `BFC`, the prefix of every container frame.
    static let prefix: [UInt8] = Array("BFC".utf8)
    /// A member whose header declares at most this many bytes is pushed after its entry.
    static let prefetchLimit = 1 << 20
    /// The most data one `data` or `block` frame carries.
    static let maxDataFrame = 1 << 20
    /// The hello key a container worker announces (its value names the parser's identity).
    static let helloKey = "containers"
    /// The most files (segments) one `openFiles` hands over.
    static let maxFiles = 1024
    /// A worker reading files by descriptor sends `progress` each time its parsers read this
    /// many more bytes.
    static let progressStep: Int64 = 16 << 20
}

/// What the scanner asks of a container worker.
enum ContainerCommand: Equatable {
    case open(format: String, memory: Bool, size: Int, skipThrough: Int?)
    /// Random access to files on disk: their descriptors follow the frame, one per size.
    case openFiles(format: String, sizes: [Int64], skipThrough: Int?)
    case next
    case read(maximum: Int)
    case block(count: Int)
    case blockFailure(ItemStatus, String)
    case close

    fileprivate var kind: UInt8 {
        switch self {
        case .open: 1
        case .next: 2
        case .read: 3
        case .block: 4
        case .blockFailure: 5
        case .close: 6
        case .openFiles: 7
        }
    }

    /// The frame's fields; `open(memory: true)` and `block` are followed by `size`/`count` bytes
    /// of payload, sent after these fields without a copy.
    func encoded(payloadCount: Int = 0) -> [UInt8] {
        var writer = WireWriter()
        writer.bytes(ContainerWire.prefix + [kind])
        switch self {
        case .open(let format, let memory, let size, let skip):
            writer.string(format)
            writer.integer(memory ? 1 : 0)
            writer.integer(Int64(size))
            writer.integer(Int64(skip ?? -1))
        case .openFiles(let format, let sizes, let skip):
            writer.string(format)
            writer.integer(Int64(sizes.count))
            for size in sizes { writer.integer(size) }
            writer.integer(Int64(skip ?? -1))
        case .read(let maximum): writer.integer(Int64(maximum))
        case .block(let count): writer.integer(Int64(count))
        case .blockFailure(let status, let reason):
            writer.string(status.rawValue)
            writer.string(reason)
        case .next, .close: break
        }
        var frame = WireWriter()
        frame.integer(Int64(writer.buffer.count + payloadCount))
        return frame.buffer + writer.buffer
    }
}

/// What a container worker says.
enum ContainerReply: Equatable {
    case needBlock
    case opened
    case entry(ContainerEntry, format: String, pushed: Bool)
    case end(format: String)
    case failure(ItemStatus, String, format: String)
    case data([UInt8])
    case readFailure(ItemStatus, String)
    case closed
    /// The current member's notes (``Container/memberNotes``), sent just before the empty
    /// `data` frame that ends a member, only when there are any.
    case notes([String])
    /// A disk image's layout, sent just before `opened`.
    case layout(DiskLayout)
    /// The bytes the parser has read from its files so far, sent now and then while it works
    /// without output (a file system's directory walk).
    case progress(read: Int64)
    /// The current member's sparse hole bytes so far (``Container/sparseHoleBytes``), sent
    /// just before a `data` frame whenever the count changed.
    case sparseHoles(total: Int64)
}

extension WireWriter {
    /// Appends a container worker's reply.
    mutating func containerReply(_ reply: ContainerReply) {
        func kind(_ value: UInt8) { bytes(ContainerWire.prefix + [value]) }
        func failure(_ status: ItemStatus, _ reason: String) {
            string(status.rawValue)
            string(reason)
        }
        switch reply {
        case .needBlock: kind(11)
        case .opened: kind(12)
        case .entry(let entry, let format, let pushed):
            kind(13)
            string(format)
            containerEntry(entry)
            integer(pushed ? 1 : 0)
        case .end(let format):
            kind(14)
            string(format)
        case .failure(let status, let reason, let format):
            kind(15)
            failure(status, reason)
            string(format)
        case .data(let bytes):
            kind(16)
            data(bytes)
        case .readFailure(let status, let reason):
            kind(17)
            failure(status, reason)
        case .closed: kind(18)
        case .notes(let notes):
            kind(19)
            integer(Int64(notes.count))
            for note in notes { string(note) }
        case .layout(let layout):
            kind(20)
            data(DiskImageWire.encode(layout))
        case .progress(let read):
            kind(21)
            integer(read)
        case .sparseHoles(let total):
            kind(22)
            integer(total)
        }
    }

    /// Appends a length and raw bytes.
    mutating func data(_ value: [UInt8]) {
        integer(Int64(value.count))
        bytes(value)
    }

    private mutating func optionalData(_ value: [UInt8]?) {
        integer(value == nil ? 0 : 1)
        if let value { data(value) }
    }

    private mutating func containerEntry(_ entry: ContainerEntry) {
        data(entry.name.bytes)
        string(entry.kind.rawValue)
        integer(entry.declaredSize ?? -1)
        integer(entry.mtime == nil ? 0 : 1)
        integer(entry.mtime?.seconds ?? 0)
        integer(Int64(entry.mtime?.nanoseconds ?? 0))
        optionalData(entry.linkTarget?.bytes)
        integer(entry.isHardLink ? 1 : 0)
        integer(entry.isEncrypted ? 1 : 0)
        diskFields(of: entry)
    }
}

extension WireReader {
    /// A container command; for `open` in memory and `block`, the payload follows the fields
    /// and is read with ``rest()``.
    mutating func containerCommand() throws(Malformed) -> ContainerCommand {
        guard Array(try bytes(3)) == ContainerWire.prefix else { throw Malformed() }
        switch try bytes(1).first {
        case 1:
            let format = try string(limit: 256)
            let memory = try integer() == 1
            let size = try integer()
            guard size >= 0, size <= Int64(Int.max) else { throw Malformed() }
            return .open(format: format, memory: memory, size: Int(size), skipThrough: try skip())
        case 2: return .next
        case 3: return .read(maximum: Int(clamping: max(0, try integer())))
        case 4: return .block(count: Int(clamping: max(0, try integer())))
        case 5: return .blockFailure(try status(), try string(limit: 4096))
        case 6: return .close
        case 7:
            let format = try string(limit: 256)
            let count = try integer()
            guard (1...Int64(ContainerWire.maxFiles)).contains(count) else { throw Malformed() }
            var sizes: [Int64] = []
            for _ in 0..<count {
                let size = try integer()
                guard size >= 0 else { throw Malformed() }
                sizes.append(size)
            }
            return .openFiles(format: format, sizes: sizes, skipThrough: try skip())
        default: throw Malformed()
        }
    }

    /// A container worker's reply.
    mutating func containerReply() throws(Malformed) -> ContainerReply {
        guard Array(try bytes(3)) == ContainerWire.prefix else { throw Malformed() }
        switch try bytes(1).first {
        case 11: return .needBlock
        case 12: return .opened
        case 13:
            let format = try string(limit: 256)
            let entry = try containerEntry()
            return .entry(entry, format: format, pushed: try integer() == 1)
        case 14: return .end(format: try string(limit: 256))
        case 15: return .failure(try status(), try string(limit: 4096), format: try string(limit: 256))
        case 16: return .data(try data(limit: ContainerWire.maxDataFrame + 1))
        case 17: return .readFailure(try status(), try string(limit: 4096))
        case 18: return .closed
        case 19:
            let count = try integer()
            guard (0...64).contains(count) else { throw Malformed() }
            var notes: [String] = []
            for _ in 0..<count { notes.append(try string(limit: 4096)) }
            return .notes(notes)
        case 20: return .layout(try DiskImageWire.decodeLayout(try data(limit: 1 << 20)))
        case 21: return .progress(read: try integer())
        case 22:
            let total = try integer()
            guard total >= 0 else { throw Malformed() }
            return .sparseHoles(total: total)
        default: throw Malformed()
        }
    }

    /// Everything after what was read so far.
    mutating func rest() throws(Malformed) -> ArraySlice<UInt8> { try bytes(remaining) }

    private mutating func skip() throws(Malformed) -> Int? {
        let skip = try integer()
        guard skip >= -1, skip <= Int64(Int32.max) else { throw Malformed() }
        return skip < 0 ? nil : Int(skip)
    }

    mutating func status() throws(Malformed) -> ItemStatus {
        guard let status = ItemStatus(rawValue: try string(limit: 64)) else { throw Malformed() }
        return status
    }

    mutating func data(limit: Int) throws(Malformed) -> [UInt8] {
        let count = try integer()
        guard count >= 0, count <= Int64(limit) else { throw Malformed() }
        return Array(try bytes(Int(count)))
    }

    private mutating func containerEntry() throws(Malformed) -> ContainerEntry {
        let name = PathBytes(try data(limit: 1 << 20))
        guard let kind = ItemKind(rawValue: try string(limit: 64)) else { throw Malformed() }
        let size = try integer()
        let hasTime = try integer() == 1
        let seconds = try integer()
        let nanoseconds = try integer()
        guard (0..<1_000_000_000).contains(nanoseconds) else { throw Malformed() }
        let link = try integer() == 1 ? PathBytes(try data(limit: 1 << 20)) : nil
        let hardLink = try integer() == 1
        let encrypted = try integer() == 1
        var entry = ContainerEntry(
            name: name, kind: kind, declaredSize: size < 0 ? nil : size,
            mtime: hasTime ? Timestamp(seconds: seconds, nanoseconds: Int32(nanoseconds)) : nil,
            linkTarget: link, isHardLink: hardLink, isEncrypted: encrypted)
        try readDiskFields(into: &entry)
        return entry
    }
}
