import BlindfoldCore
import CProcess
import Glibc

/// One decoder worker: a child process started from this binary, talking over a Unix socket.
///
/// A thin wrapper over `posix_spawn`, `socketpair`, `poll`, `kill` and `waitpid`; nothing else
/// in the scanner touches them. `Sendable` because its stored properties are immutable values;
/// the pool hands a worker to one session at a time, so its socket is never used concurrently.
final class WorkerProcess: Sendable {
    /// The child's process id.
    let pid: pid_t
    /// The scanner's end of the socket.
    private let socket: Int32

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
            throw WorkerStartError(errno: errno)
        }
        var childPID: pid_t = 0
        let status = Self.withCStrings(arguments) { argv in cprocess_spawn(&childPID, executable, argv, pair[1]) }
        close(pair[1])
        guard status == 0 else {
            close(pair[0])
            throw WorkerStartError(errno: status)
        }
        pid = childPID
        socket = pair[0]
    }

    deinit {
        close(socket)
        // Closing the socket ends a healthy worker; one that is stuck is killed.
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Sends `request` and waits up to `timeout` seconds for the outcome.
    ///
    /// - Throws: ``Fate`` when the worker does not answer in time (it is killed) or ends.
    func run(_ request: WorkerRequest, timeout: Double) throws(Fate) -> PluginOutcome {
        guard send(request.encodedHeader()), request.payload.withUnsafeBytes({ sendAll($0) }) else {
            throw .ended(reap())
        }
        let deadline = MonotonicClock.now + timeout
        var response: [UInt8] = []
        var expected: Int?
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while expected.map({ response.count < $0 }) ?? true {
            let remaining = deadline - MonotonicClock.now
            if remaining <= 0 { throw timedOut(timeout) }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .ended(reap()) }
            response += chunk[0..<count]
            if expected == nil, response.count >= 8 {
                var length: UInt64 = 0
                for (index, byte) in response[0..<8].enumerated() { length |= UInt64(byte) << UInt64(index * 8) }
                guard length <= 1 << 24 else { throw .ended(terminate(reason: "sent a garbled answer")) }
                expected = 8 + Int(length)
            }
        }
        var reader = WireReader(Array(response[8...]))
        do {
            return try reader.outcome()
        } catch {
            throw .ended(terminate(reason: "sent a garbled answer"))
        }
    }

    private func timedOut(_ timeout: Double) -> Fate {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        return .timedOut(seconds: timeout)
    }

    private func terminate(reason: String) -> String {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        return reason
    }

    /// Waits for the ended child and says how it ended.
    private func reap() -> String {
        var status: Int32 = 0
        var result = waitpid(pid, &status, 0)
        while result < 0 && errno == EINTR { result = waitpid(pid, &status, 0) }
        guard result == pid else { return "ended (its status could not be read)" }
        if cprocess_signaled(status) != 0 {
            let signal = cprocess_signal(status)
            return "was stopped by signal \(signal) (\(Self.signalName(signal)))"
        }
        return "exited with code \(cprocess_exit_code(status))"
    }

    private func send(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { sendAll($0) } }

    private func sendAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return false }
            let sent = Glibc.send(socket, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 && errno == EINTR { continue }
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

/// The worker could not be started.
struct WorkerStartError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { "could not start a decoder worker: \(String(cString: strerror(errno)))" }
}

/// Seconds on the monotonic clock.
enum MonotonicClock {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
