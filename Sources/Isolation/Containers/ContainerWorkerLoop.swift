import BlindfoldCore
import CProcess
import Evidence
import Glibc

/// The container worker's side: says hello (the formats it parses), then serves one container
/// at a time with the real parser (``ArchiveReader`` behind ``ArchiveFormat``), answering the
/// scanner's ``ContainerCommand``s as ``ContainerWire`` describes, until the scanner closes
/// the socket. The parser's crash, hang or runaway allocation ends this process, never the scan.
public enum ContainerWorkerLoop {
    /// Serves containers with `formats` (id → format) until end of input; returns the exit
    /// code (0 at the end of input, 2 for a frame out of protocol).
    ///
    /// - Parameter memoryCap: the address-space limit the worker sets on itself (bytes); a
    ///   container held in memory is at most this large.
    /// - Parameter faultInjection: test-only: container bytes carrying a fault marker crash,
    ///   hang or exhaust memory on purpose (``FaultInjection``).
    /// - Parameter parent: the scanner's process id; the worker dies with it.
    public static func run(
        formats: [String: any ContainerFormat], memoryCap: Int, faultInjection: Bool, parent: pid_t?
    ) -> Int32 {
        let identities = formats.mapValues { _ in "1" }.merging([ContainerWire.helloKey: "1"]) { first, _ in first }
        guard WorkerLoop.start(memoryCap: memoryCap, parent: parent, identities: identities) else { return 0 }
        // A parser that faults with its address space full hit the cap: the scanner records a
        // memory limit for its container, not a crash.
        cprocess_exit_on_memory_cap()
        let session = ContainerWorkerSession(formats: formats, memoryCap: memoryCap, faultInjection: faultInjection)
        do throws(ContainerWorkerSession.Stop) {
            while true { try session.serve() }
        } catch {
            return error == .endOfInput ? 0 : 2
        }
    }
}

/// One worker's state: the container open now (if any) and where its bytes come from.
final class ContainerWorkerSession {
    /// Why the worker stops serving.
    enum Stop: Error, Equatable {
        case endOfInput
        case outOfProtocol
    }

    private let formats: [String: any ContainerFormat]
    private let memoryCap: Int
    let faultInjection: Bool
    private var container: (any Container)?
    /// Keeps the bytes of a container held in memory alive while its parser reads them.
    private var memory: OwnedBytes?
    private var scratch = OwnedBytes(count: ContainerWire.maxDataFrame + 1)
    /// Bytes the parsers read from files handed over by descriptor (``ContainerReply/progress(read:)``).
    var readFromFiles: Int64 = 0

    init(formats: [String: any ContainerFormat], memoryCap: Int, faultInjection: Bool) {
        self.formats = formats
        self.memoryCap = memoryCap
        self.faultInjection = faultInjection
    }

    /// Reads one command and answers it.
    func serve() throws(Stop) {
        let (command, frame) = try Self.receive(limit: memoryCap)
        switch command {
        case .open(let id, let inMemory, let size, let skip):
            close()
            guard let format = formats[id] else {
                return try reply(.failure(.unsupported, "the container worker has no parser '\(id)'", format: id))
            }
            if inMemory {
                let payload = try Self.payload(of: frame, count: size)
                if faultInjection { FaultInjection.trigger(Array(payload)) }
                memory = OwnedBytes(payload)
            }
            try open(id: id, skip: skip) { () throws(ItemReadError) in
                if let memory { return try format.open(.memory(memory.view)) }
                return try format.open(.stream(SocketInput(session: self)))
            }
        case .openFiles(let id, let sizes, let skip):
            close()
            let received = try receiveDescriptors(sizes.count)
            guard let format = formats[id] else {
                for descriptor in received { Glibc.close(descriptor) }
                return try reply(.failure(.unsupported, "the container worker has no parser '\(id)'", format: id))
            }
            try open(id: id, skip: skip) { () throws(ItemReadError) in
                try format.open(segments: try self.segments(received, sizes: sizes))
            }
        case .next:
            guard let container else { throw .outOfProtocol }
            switch container.next() {
            case .entry(let entry):
                let pushed = Self.isPushed(entry)
                try reply(.entry(entry, format: container.formatName, pushed: pushed))
                if pushed { try push(container) }
            case .end:
                let format = container.formatName
                close()
                try reply(.end(format: format))
            case .failure(let status, let reason):
                let format = container.formatName
                close()
                let (finalStatus, finalReason) = Self.memoryFailure(status, reason, cap: memoryCap)
                try reply(.failure(finalStatus, finalReason, format: format))
            }
        case .read(let maximum):
            guard let container else { throw .outOfProtocol }
            _ = try sendData(of: container, maximum: min(max(1, maximum), ContainerWire.maxDataFrame))
        case .close:
            close()
            try reply(.closed)
        case .block, .blockFailure:
            throw .outOfProtocol
        }
    }

    /// Opens a container with `opener`, leaves out the file systems up to partition `skip` (a
    /// fresh worker going on past a parser's crash), and answers: its layout when it is a disk
    /// image, then `opened`; or why it could not be opened.
    private func open(id: String, skip: Int?, _ opener: () throws(ItemReadError) -> any Container) throws(Stop) {
        let opened: any Container
        readFromFiles = 0
        do throws(ItemReadError) {
            opened = try opener()
        } catch {
            close()
            let (status, reason) = Self.memoryFailure(error.status, error.reason, cap: memoryCap)
            return try reply(.failure(status, reason, format: id))
        }
        if let skip, let partitioned = opened as? any PartitionedContainer { partitioned.skipPartitions(through: skip) }
        container = opened
        if let layout = opened.diskLayout { try reply(.layout(layout)) }
        try reply(.opened)
    }

    /// The next block of a streamed container, asked of the scanner.
    func requestBlock() throws(ItemReadError) -> [UInt8] {
        let answer: Result<[UInt8], ItemReadError>
        do throws(Stop) {
            try reply(.needBlock)
            let (command, frame) = try Self.receive(limit: memoryCap)
            switch command {
            case .block(let count): answer = .success(Array(try Self.payload(of: frame, count: count)))
            case .blockFailure(let status, let reason): answer = .failure(ItemReadError(status: status, reason: reason))
            default: throw Stop.outOfProtocol
            }
        } catch {
            // The scanner is gone or broke the protocol: nothing more can be read or said.
            _exit(error == .endOfInput ? 0 : 2)
        }
        let block = try answer.get()
        if faultInjection { FaultInjection.trigger(block) }
        return block
    }

    /// True for a small regular member, whose data follows its entry unasked.
    private static func isPushed(_ entry: ContainerEntry) -> Bool {
        guard entry.kind == .file, !entry.isHardLink, !entry.isEncrypted, let size = entry.declaredSize else { return false }
        return size <= Int64(ContainerWire.prefetchLimit)
    }

    /// Sends the current member's data until its end, a failure, or past the push limit (one
    /// byte past it tells the scanner the member lies about its size).
    private func push(_ container: any Container) throws(Stop) {
        var total = 0
        while total <= ContainerWire.prefetchLimit {
            guard let count = try sendData(of: container, maximum: ContainerWire.prefetchLimit + 1 - total), count > 0 else {
                return
            }
            total += count
        }
    }

    /// Reads at most `maximum` bytes of the current member and sends them (`data`), or its
    /// failure (`readFailure`); at the member's end its notes go first, then the empty frame.
    /// Returns the count sent, nil after a failure.
    private func sendData(of container: any Container, maximum: Int) throws(Stop) -> Int? {
        let answer: ContainerReply
        var sent: Int?
        let holesBefore = container.sparseHoleBytes
        do throws(ItemReadError) {
            let count = try container.readData(into: scratch.prefix(maximum))
            answer = .data(Array(scratch.view.prefix(count)))
            sent = count
        } catch {
            let (status, reason) = Self.memoryFailure(error.status, error.reason, cap: memoryCap)
            answer = .readFailure(status, reason)
        }
        if sent == 0 { try sendNotes(of: container) }
        if container.sparseHoleBytes != holesBefore { try reply(.sparseHoles(total: container.sparseHoleBytes)) }
        try reply(answer)
        return sent
    }

    /// The member's notes, before the empty frame that ends it (none: nothing is sent).
    private func sendNotes(of container: any Container) throws(Stop) {
        let notes = container.memberNotes
        if !notes.isEmpty { try reply(.notes(notes)) }
    }

    private func close() {
        container = nil
        memory = nil
    }

    func reply(_ reply: ContainerReply) throws(Stop) {
        var writer = WireWriter()
        writer.containerReply(reply)
        guard WorkerLoop.writeAll(writer.framed) else { throw .endOfInput }
    }

    private static func receive(limit: Int) throws(Stop) -> (ContainerCommand, [UInt8]) {
        do {
            guard let frame = try WorkerLoop.readFrame(limit: limit + 4096) else { throw Stop.endOfInput }
            var reader = WireReader(frame)
            return (try reader.containerCommand(), frame)
        } catch let stop as Stop {
            throw stop
        } catch {
            throw .outOfProtocol
        }
    }

    /// The bytes after a command's fields: exactly `count` of them, or the frame is out of protocol.
    private static func payload(of frame: [UInt8], count: Int) throws(Stop) -> ArraySlice<UInt8> {
        var reader = WireReader(frame)
        guard (try? reader.containerCommand()) != nil, let payload = try? reader.rest(), payload.count == count else {
            throw .outOfProtocol
        }
        return payload
    }

    /// A parser that could not allocate inside the worker's cap says so in its own words
    /// (libarchive: "Couldn't allocate memory"); the record names the limit instead.
    static func memoryFailure(_ status: ItemStatus, _ reason: String, cap: Int) -> (ItemStatus, String) {
        let lowered = reason.lowercased()
        guard lowered.contains("alloc") || lowered.contains("out of memory") else { return (status, reason) }
        return (.limit, "container_memory: the parser needed more than its worker's \(cap)-byte address space (\(reason))")
    }
}

/// A streamed container's bytes inside the worker: each block is asked of the scanner.
private final class SocketInput: ContainerInput {
    private unowned let session: ContainerWorkerSession
    private var block = OwnedBytes(count: 0)

    init(session: ContainerWorkerSession) { self.session = session }

    func nextBlock() throws(ItemReadError) -> UnsafeRawBufferPointer {
        block = OwnedBytes(try session.requestBlock()[...])
        return block.view
    }
}
