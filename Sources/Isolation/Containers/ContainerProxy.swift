import BlindfoldCore
import Evidence
import Glibc

/// A container whose parser runs in a container worker: answers ``next()`` and
/// ``readData(into:)`` with frames from the worker's socket, and feeds the worker the
/// container's bytes (the scanner's tee, block by block as the parser asks, or all at once when
/// they are in memory). The scanner cannot tell it from the parser itself, except that a crash,
/// a hang or a runaway allocation in the parser ends as a `.failure` of this container: the
/// members listed before keep their records, the scan goes on.
final class ContainerProxy: Container {
    private let pool: ContainerWorkerPool
    /// The worker while the container is open; nil once it ended, failed or the worker was lost.
    private var worker: WorkerProcess?
    private let input: (any ContainerInput)?
    /// How the container ended, once it did: every later call answers with it.
    private var fate: ContainerStep?
    /// True while the worker pushes the current (small) member's data unasked.
    private var pushing = false
    /// Bytes pushed for the current member so far.
    private var pushed = 0
    /// True once the pushed data reached the member's end.
    private var memberEnded = false
    /// The current member's notes, as the worker sent them before the member's end.
    private(set) var memberNotes: [String] = []
    /// The current member's sparse hole bytes, as the worker last said.
    private(set) var sparseHoleBytes: Int64 = 0
    /// Data received and not yet handed on (a frame larger than the caller's buffer).
    private var leftover: ArraySlice<UInt8> = []
    /// When the parser last made progress (monotonic seconds).
    private var lastProgress = MonotonicClock.now
    /// What the parser may read from its files without output before that stops counting as
    /// progress (twice the files' size, plus 64 MiB); nil for a container that is not files.
    private let readAllowance: Int64?
    /// The parser's reads as last reported, and as they were at its last output.
    private var lastRead: Int64 = 0
    private var readAtOutput: Int64 = 0
    private(set) var formatName = "unknown"
    /// A disk image's layout, as the worker sent it when it opened the image.
    private(set) var diskLayout: DiskLayout?
    /// True when the container failed because its worker crashed, hung or ran out of memory
    /// (not because the parser said so, nor because the scan was interrupted).
    private(set) var workerLost = false

    /// Opens the container `bytes` with the parser `formatID` in a worker from `pool`, leaving
    /// out the file systems up to partition `skipThrough` (``PartitionedContainer``).
    init(pool: ContainerWorkerPool, formatID: String, bytes: ContainerBytes, skipThrough: Int? = nil) throws(ItemReadError) {
        self.pool = pool
        readAllowance = nil
        switch bytes {
        case .stream(let stream): input = stream
        case .memory: input = nil
        }
        try start()
        let reply: ContainerReply
        switch bytes {
        case .stream:
            reply = exchange(.open(format: formatID, memory: false, size: 0, skipThrough: skipThrough), payload: nil)
        case .memory(let memory):
            reply = exchange(.open(format: formatID, memory: true, size: memory.count, skipThrough: skipThrough), payload: memory)
        }
        try opened(reply)
    }

    /// Opens the container made of `files` (evidence files the scanner opened) with the
    /// parser `formatID` in a worker from `pool`: the worker is handed their read-only
    /// descriptors, never a path.
    init(pool: ContainerWorkerPool, formatID: String, files: [DescriptorSegment], skipThrough: Int? = nil) throws(ItemReadError) {
        self.pool = pool
        input = nil
        readAllowance = 2 * files.reduce(0) { $0 + $1.size } + (64 << 20)
        guard files.count <= ContainerWire.maxFiles else {
            throw ItemReadError(
                status: .unsupported,
                reason: "an image of \(files.count) files (segments or extents): more than the \(ContainerWire.maxFiles) one parser's worker is handed")
        }
        try start()
        let command = ContainerCommand.openFiles(format: formatID, sizes: files.map(\.size), skipThrough: skipThrough)
        try opened(exchange(command, payload: nil, descriptors: files.map(\.descriptor)))
    }

    /// Takes a worker from the pool.
    private func start() throws(ItemReadError) {
        do throws(WorkerStartError) {
            worker = try pool.take()
        } catch {
            throw ItemReadError(
                status: .unsupported, reason: "the container was not opened: no parser worker could be started (\(error.reasonWithoutRole))")
        }
    }

    /// Checks the worker's answer to an open.
    private func opened(_ reply: ContainerReply) throws(ItemReadError) {
        switch reply {
        case .opened: return
        case .failure(let status, let reason, _):
            release()
            throw ItemReadError(status: status, reason: reason)
        default:
            worker = nil
            throw ItemReadError(status: failedStatus, reason: failedReason)
        }
    }

    deinit {
        // Listing stopped early (a limit, an interruption): the worker drops the container and
        // is reused, or is dropped itself when it does not say so at once.
        guard worker != nil else { return }
        while pushing, fate == nil { _ = receivePushed() }
        if exchange(.close, payload: nil, limit: min(2, pool.configuration.stallTimeout)) == .closed { release() }
    }

    func next() -> ContainerStep {
        if let fate { return fate }
        // The rest of a pushed member the scanner did not read is still on the socket.
        while pushing, fate == nil { _ = receivePushed() }
        if let fate { return fate }
        leftover = []
        memberEnded = false
        memberNotes = []
        sparseHoleBytes = 0
        pushed = 0
        switch exchange(.next, payload: nil) {
        case .entry(let entry, let format, let isPushed):
            formatName = format
            pushing = isPushed
            return .entry(entry)
        case .end(let format):
            formatName = format
            release()
            fate = .end
            return .end
        case .failure(let status, let reason, let format):
            formatName = format
            release()
            fate = .failure(status, reason)
            return .failure(status, reason)
        default:
            return fate ?? .failure(.corrupt, "the parser's worker broke the protocol")
        }
    }

    func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        if leftover.isEmpty {
            let reply: ContainerReply
            if pushing {
                reply = receivePushed()
            } else if memberEnded {
                return 0
            } else if case .failure(let status, let reason) = fate {
                throw ItemReadError(status: status, reason: reason)
            } else if fate == .end {
                return 0
            } else {
                reply = exchange(.read(maximum: min(buffer.count, ContainerWire.maxDataFrame)), payload: nil)
            }
            switch reply {
            case .data(let bytes):
                if bytes.isEmpty { return 0 }
                leftover = bytes[...]
            case .readFailure(let status, let reason), .failure(let status, let reason, _):
                throw ItemReadError(status: status, reason: reason)
            default:
                throw ItemReadError(status: failedStatus, reason: failedReason)
            }
        }
        let count = min(buffer.count, leftover.count)
        leftover.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.baseAddress?.copyMemory(from: base, byteCount: count) }
        }
        leftover = leftover.dropFirst(count)
        return count
    }

    /// The next frame of a pushed member; the push ends at an empty frame, a failure or past
    /// the push limit.
    private func receivePushed() -> ContainerReply {
        let reply = awaitReply()
        switch reply {
        case .data(let bytes):
            pushed += bytes.count
            if bytes.isEmpty { memberEnded = true }
            if bytes.isEmpty || pushed > ContainerWire.prefetchLimit { pushing = false }
        default:
            pushing = false
        }
        return reply
    }

    /// Sends `command` (with `payload` after its fields) and returns the worker's answer,
    /// feeding it the container's blocks while it asks for them. When the worker ends, stalls
    /// past the limit or the scan is interrupted, the worker is dropped, ``fate`` says why and
    /// the answer is that failure.
    private func exchange(
        _ command: ContainerCommand, payload: UnsafeRawBufferPointer?, descriptors: [Int32] = [], limit: Double? = nil
    ) -> ContainerReply {
        guard let worker else { return failedReply }
        let limit = limit ?? pool.configuration.stallTimeout
        lastProgress = MonotonicClock.now
        guard send(command.encoded(payloadCount: payload?.count ?? 0), payload, to: worker, within: limit) else {
            return lose(.ended(worker.reap()))
        }
        for descriptor in descriptors {
            do throws(DescriptorPassing.Failure) {
                try DescriptorPassing.send(descriptor, over: worker.socket)
            } catch {
                return lose(.ended(worker.reap()))
            }
        }
        return awaitReply(limit: limit)
    }

    /// The worker's next answer, feeding it blocks while it asks for them.
    private func awaitReply(limit: Double? = nil) -> ContainerReply {
        guard let worker else { return failedReply }
        let limit = limit ?? pool.configuration.stallTimeout
        while true {
            let frame: [UInt8]
            do throws(WorkerProcess.Fate) {
                frame = try worker.readFrame(
                    deadline: lastProgress + limit, timeout: limit, shouldStop: pool.configuration.shouldStop)
            } catch {
                return lose(error)
            }
            var reader = WireReader(frame)
            guard let reply = try? reader.containerReply() else {
                return lose(.ended(worker.terminate(reason: "sent a garbled answer")))
            }
            switch reply {
            case .notes(let notes):
                memberNotes = notes
                continue
            case .sparseHoles(let total):
                sparseHoleBytes = total
                continue
            case .layout(let layout):
                diskLayout = layout
                continue
            case .progress(let read):
                // Reading counts as progress up to the allowance, so a parser that reads the
                // same blocks over and over still times out.
                lastRead = read
                if let readAllowance, read - readAtOutput <= readAllowance { lastProgress = MonotonicClock.now }
                continue
            case .needBlock:
                break
            default:
                lastProgress = MonotonicClock.now
                readAtOutput = lastRead
                return reply
            }
            guard let input else { return lose(.ended(worker.terminate(reason: "asked for a block of a container in memory"))) }
            let sent: Bool
            do throws(ItemReadError) {
                let block = try input.nextBlock()
                if !block.isEmpty { lastProgress = MonotonicClock.now }
                sent = send(
                    ContainerCommand.block(count: block.count).encoded(payloadCount: block.count), block, to: worker, within: limit)
            } catch {
                sent = send(ContainerCommand.blockFailure(error.status, error.reason).encoded(), nil, to: worker, within: limit)
            }
            guard sent else { return lose(.ended(worker.reap())) }
        }
    }

    private func send(
        _ header: [UInt8], _ payload: UnsafeRawBufferPointer?, to worker: WorkerProcess, within limit: Double
    ) -> Bool {
        let deadline = lastProgress + limit
        guard header.withUnsafeBytes({ worker.sendAll($0, deadline: deadline) }) else { return false }
        guard let payload, !payload.isEmpty else { return true }
        return worker.sendAll(payload, deadline: deadline)
    }

    /// Drops the worker after `fate`, and records what it cost the container.
    private func lose(_ end: WorkerProcess.Fate) -> ContainerReply {
        worker = nil
        pool.dropped()
        let failure: (ItemStatus, String)
        switch end {
        case _ where pool.configuration.shouldStop():
            failure = (.skipped, "\(pool.configuration.stopReason()); the parser's worker was stopped")
        case .timedOut(let seconds):
            failure = (.limit, "container_timeout: the parser timed out (no member, member data or container block for \(Int(seconds)) s) and its worker was stopped; members listed before are kept")
        case .ended(let how) where how == ChildStatus.memoryCapEnding:
            failure = (.limit, "container_memory: the parser filled its worker's address space (--worker-memory) and the worker ended; members listed before are kept")
        case .ended(let how):
            failure = (.corrupt, "the parser crashed: its worker \(how) while reading this container; members listed before are kept")
        }
        workerLost = !pool.configuration.shouldStop()
        fate = .failure(failure.0, failure.1)
        return .failure(failure.0, failure.1, format: formatName)
    }

    private var failedReply: ContainerReply {
        .failure(failedStatus, failedReason, format: formatName)
    }

    private var failedStatus: ItemStatus {
        if case .failure(let status, _) = fate { return status }
        return .corrupt
    }

    private var failedReason: String {
        if case .failure(_, let reason) = fate { return reason }
        return "the parser's worker broke the protocol"
    }

    /// Hands the worker back to the pool: its container is finished.
    private func release() {
        if let worker { pool.giveBack(worker) }
        worker = nil
    }
}

extension WorkerStartError {
    /// What went wrong, without the decoder's name (the same errors start either kind of worker).
    var reasonWithoutRole: String {
        switch self {
        case .spawn(let errno): "\(String(cString: strerror(errno)))"
        case .wireVersion(let version): "it speaks wire version \(version), this scanner \(WireFormat.version)"
        case .silent(let how): "it \(how) instead of saying hello"
        case .identity: "it is not a container worker"
        }
    }
}
