import BlindfoldCore
import CProcess
import Glibc
import Synchronization

/// One decoder worker: a child process started from this binary, talking over a Unix socket.
///
/// A thin wrapper over `posix_spawn`, `socketpair`, `poll`, `kill` and `waitpid`; nothing else
/// in the scanner touches them. `Sendable` because its stored properties are immutable values;
/// the pool hands a worker to one session at a time, so its socket is never used concurrently.
final class WorkerProcess: Sendable {
    /// The child's process id.
    let pid: pid_t
    /// The scanner's end of the socket.
    let socket: Int32
    /// Set once the child's exit status was collected: its pid may then belong to another
    /// process, which must never be signalled.
    private let reaped = Atomic<Bool>(false)

    /// What happened when a request did not get an answer.
    enum Fate: Error {
        /// The worker ran past the per-item time limit and was killed.
        case timedOut(seconds: Double)
        /// The worker ended (crashed, was killed by the memory cap, exited).
        case ended(String)
    }

    /// Starts `executable` with `arguments` (argument 0 included).
    init(executable: String, arguments: [String]) throws(WorkerStartError) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw .spawn(errno: errno)
        }
        var childPID: pid_t = 0
        let status = Self.withCStrings(arguments) { argv in cprocess_spawn(&childPID, executable, argv, pair[1]) }
        close(pair[1])
        guard status == 0 else {
            close(pair[0])
            throw .spawn(errno: status)
        }
        pid = childPID
        socket = pair[0]
    }

    deinit {
        close(socket)
        // An idle worker would exit on its own once its socket closes; killing it is quicker
        // and also ends one that is stuck.
        if !reaped.load(ordering: .acquiring) {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
    }

    /// Waits up to `timeout` seconds for the worker's hello and checks its wire version.
    ///
    /// - Throws: ``WorkerStartError`` when the worker speaks another version, says something
    ///   else, ends or stays silent; the caller drops it (and so kills it).
    func handshake(timeout: Double) throws(WorkerStartError) -> WorkerHello {
        let frame: [UInt8]
        do throws(Fate) {
            frame = try readFrame(deadline: MonotonicClock.now + timeout, timeout: timeout)
        } catch {
            switch error {
            case .timedOut(let seconds): throw .silent("said nothing within \(Int(seconds.rounded(.up))) s")
            case .ended(let how): throw .silent(how)
            }
        }
        var reader = WireReader(frame)
        guard let hello = try? reader.hello() else { throw .silent(terminate(reason: "sent a garbled hello")) }
        guard hello.version == WireFormat.version else { throw .wireVersion(hello.version) }
        return hello
    }

    /// Sends `request` and waits up to `timeout` seconds for the outcome. A descriptor request
    /// (``WorkerRequest/announcesDescriptor``) is followed by `descriptor`, passed with
    /// `SCM_RIGHTS` (the worker gets a duplicate; the caller keeps and closes its own).
    ///
    /// - Throws: ``Fate`` when the worker does not answer in time (it is killed) or ends.
    func run(_ request: WorkerRequest, descriptor: Int32? = nil, timeout: Double) throws(Fate) -> PluginOutcome {
        let deadline = MonotonicClock.now + timeout
        let header = request.encodedHeader()
        var sent = header.withUnsafeBytes { sendAll($0, deadline: deadline) }
            && request.payload.withUnsafeBytes { sendAll($0, deadline: deadline) }
        if sent, request.announcesDescriptor {
            guard let descriptor else { throw .ended(terminate(reason: "was sent a descriptor request without a descriptor")) }
            sent = (try? DescriptorPassing.send(descriptor, over: socket)) != nil
        }
        guard sent else {
            if MonotonicClock.now >= deadline { throw timedOut(timeout) }
            throw .ended(reap())
        }
        var reader = WireReader(try readFrame(deadline: deadline, timeout: timeout))
        do {
            return try reader.outcome()
        } catch {
            throw .ended(terminate(reason: "sent a garbled answer"))
        }
    }

    /// Receives one frame (its bytes after the length) before `deadline`; a worker is stopped
    /// (killed, `.ended`) as soon as `shouldStop` says so, checked at least every 250 ms.
    func readFrame(deadline: Double, timeout: Double, shouldStop: () -> Bool = { false }) throws(Fate) -> [UInt8] {
        var response: [UInt8] = []
        var expected: Int?
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while expected.map({ response.count < $0 }) ?? true {
            let remaining = deadline - MonotonicClock.now
            if remaining <= 0 { throw timedOut(timeout) }
            if shouldStop() { throw .ended(terminate(reason: "was stopped because the scan was interrupted")) }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, 250).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { throw .ended(terminate(reason: "could not be polled")) }
            if ready == 0 { continue }
            // Never past this frame: a container worker may have sent the next one already.
            let wanted = min(chunk.count, (expected ?? 8) - response.count)
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, wanted, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .ended(reap()) }
            response += chunk[0..<count]
            if expected == nil, response.count >= 8 {
                let length = WireReader.integer(response[0..<8])
                guard (0...Int64(WireFormat.maxResponseFrame)).contains(length) else {
                    throw .ended(terminate(reason: "sent a garbled answer"))
                }
                expected = 8 + Int(length)
            }
        }
        return Array(response[8...])
    }

    private func timedOut(_ timeout: Double) -> Fate {
        kill(pid, SIGKILL)
        _ = waitForExit()
        return .timedOut(seconds: timeout)
    }

    func terminate(reason: String) -> String {
        kill(pid, SIGKILL)
        _ = waitForExit()
        return reason
    }

    /// Collects the exit status (retrying on EINTR) and marks the child reaped.
    private func waitForExit(options: Int32 = 0) -> Int32? {
        ChildStatus.collect(pid, reaped: reaped, options: options)
    }

    /// Says how a worker that closed its socket ended: its own exit or signal when it ends
    /// within two seconds, otherwise it is killed (it closed the socket but stayed alive).
    func reap() -> String {
        var status: Int32?
        for _ in 0..<200 {
            status = waitForExit(options: WNOHANG)
            if status != nil || reaped.load(ordering: .acquiring) { break }
            usleep(10_000)
        }
        guard let status else { return terminate(reason: "closed its connection without answering and was stopped") }
        return ChildStatus.describe(status)
    }

    /// Sends everything, waiting for room in the socket until `deadline`.
    func sendAll(_ bytes: UnsafeRawBufferPointer, deadline: Double) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return false }
            let remaining = deadline - MonotonicClock.now
            guard remaining > 0 else { return false }
            var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else {
                if ready == 0 { continue }
                return false
            }
            let sent = Glibc.send(socket, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            if sent < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: "SIGSEGV, a memory fault"
        case SIGABRT: "SIGABRT, an abort: a failed check, or an allocation beyond the worker's memory cap"
        case SIGBUS: "SIGBUS"
        case SIGILL, SIGTRAP: "a trap: a failed check or memory beyond the worker's cap"
        case SIGKILL: "SIGKILL"
        case SIGFPE: "SIGFPE"
        default: "signal \(signal)"
        }
    }

    private static func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}

/// The worker could not be started, or was refused at its hello.
enum WorkerStartError: Error, CustomStringConvertible {
    /// `posix_spawn` or `socketpair` failed.
    case spawn(errno: Int32)
    /// The worker speaks another wire version.
    case wireVersion(Int64)
    /// The worker ended, stayed silent or sent something else instead of its hello.
    case silent(String)
    /// The worker computes a plugin differently from what the manifest header records.
    case identity(plugin: String, worker: String?, scan: String)

    var description: String {
        switch self {
        case .spawn(let errno): "could not start a decoder worker: \(String(cString: strerror(errno)))"
        case .wireVersion(let version):
            "the decoder worker speaks wire version \(version), this scanner \(WireFormat.version): refused"
        case .silent(let how): "the decoder worker \(how) instead of saying hello: refused"
        case .identity(let plugin, let worker, let scan):
            "the decoder worker runs \(plugin) as '\(worker ?? "nothing")', the scan records '\(scan)': refused"
        }
    }
}

/// Seconds on the monotonic clock.
enum MonotonicClock {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
