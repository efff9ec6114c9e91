import BlindfoldCore
import CProcess
import Glibc
import Synchronization

/// One external plugin process (`blindfold-plugin/1`): an executable started without a shell,
/// its stdin and stdout the protocol, its stderr drained and counted, never shown.
///
/// A thin wrapper over `fork`/`execve`, pipes, `poll`, `kill` and `waitpid`; the protocol above
/// it (frames, JSON) lives in `ExternalPlugins`. `Sendable` because its stored properties are
/// immutable, atomic or behind a mutex; the pool hands a process to one session at a time, so
/// its pipes are never used concurrently.
public final class PluginProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let errors: Int32
    private let reaped = Atomic<Bool>(false)
    private let stderrTotal = Atomic<Int>(0)
    /// Bytes read from stdout beyond the frame asked for: one read takes a whole small answer,
    /// prefix and body, and the body is then served from here.
    private let pending = Mutex<[UInt8]>([])
    /// Asked at least every ``stopCheckSeconds`` while waiting: true cuts the wait short.
    private let shouldStop: @Sendable () -> Bool

    /// The longest a wait goes without asking `shouldStop`.
    public static let stopCheckSeconds = 0.25

    /// Why a read or write did not complete.
    public enum Failure: Error, Sendable, Hashable {
        /// The time the caller allowed ran out; the process was killed.
        case timedOut
        /// The process closed its end or ended (how, in Blindfold's own words).
        case ended(String)
        /// The scan is being interrupted (`shouldStop` said so); the process was killed.
        case stopped
    }

    /// Starts `executable` with only `environment`, in `workingDirectory`, under `memoryCap`
    /// bytes of address space; every wait on it ends early (``Failure/stopped``) once
    /// `shouldStop` answers true (the scan's interruption).
    ///
    /// - Throws: the errno of the step that failed (pipe, fork, chdir, exec).
    public init(executable: String, environment: [String], workingDirectory: String, memoryCap: Int,
                shouldStop: @escaping @Sendable () -> Bool = { false }) throws(SpawnError) {
        self.shouldStop = shouldStop
        // stdin is one end of a socket pair, not a pipe, so a write to a plugin that died is
        // EPIPE from send(MSG_NOSIGNAL) rather than a SIGPIPE that would end the scanner.
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        let flags = Int32(O_CLOEXEC)
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &stdinPipe) == 0 else {
            throw SpawnError(errno: errno)
        }
        guard pipe2(&stdoutPipe, flags) == 0 else {
            let error = errno
            for descriptor in stdinPipe { close(descriptor) }
            throw SpawnError(errno: error)
        }
        guard pipe2(&stderrPipe, flags) == 0 else {
            let error = errno
            for descriptor in stdinPipe + stdoutPipe { close(descriptor) }
            throw SpawnError(errno: error)
        }
        var childPID: pid_t = 0
        let status = Self.withCStrings([executable]) { argv in
            Self.withCStrings(environment) { envp in
                cprocess_spawn_plugin(&childPID, executable, argv, envp, workingDirectory, stdinPipe[1], stdoutPipe[1],
                                      stderrPipe[1], UInt64(max(0, memoryCap)))
            }
        }
        close(stdinPipe[1])
        close(stdoutPipe[1])
        close(stderrPipe[1])
        guard status == 0 else {
            close(stdinPipe[0])
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw SpawnError(errno: status)
        }
        pid = childPID
        input = stdinPipe[0]
        output = stdoutPipe[0]
        errors = stderrPipe[0]
        // Reads and writes wait in poll with a deadline, never in read(2) or send(2) (which is
        // MSG_DONTWAIT); the child's ends stay blocking, as a plain program expects.
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        _ = fcntl(errors, F_SETFL, fcntl(errors, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(input)
        close(output)
        close(errors)
        if !reaped.load(ordering: .acquiring) {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
    }

    /// Bytes the process wrote on stderr so far (read and dropped: a plugin may quote the
    /// item's bytes there, and content never leaves the scanner).
    public var stderrBytes: Int { stderrTotal.load(ordering: .relaxed) }

    /// Writes all of `bytes`, spending at most `budget` seconds waiting (what is left is
    /// written back).
    public func write(_ bytes: UnsafeRawBufferPointer, budget: inout Double) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = Glibc.send(input, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            if written > 0 {
                offset += written
                continue
            }
            if written < 0 && errno == EINTR { continue }
            guard written < 0 && errno == EAGAIN else { throw .ended(reap()) }
            try wait(for: input, events: Int16(POLLOUT), budget: &budget)
        }
    }

    /// Writes all of `bytes` (see ``write(_:budget:)-(UnsafeRawBufferPointer,_)``).
    public func write(_ bytes: [UInt8], budget: inout Double) throws(Failure) {
        var failure: Failure?
        bytes.withUnsafeBytes { raw in
            do throws(Failure) { try write(raw, budget: &budget) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Reads exactly `count` bytes, spending at most `budget` seconds waiting; memory grows with
    /// the bytes that actually arrive, never with `count` alone.
    ///
    /// A read asks for at least 16 KiB, so a small answer (prefix and body) comes in one system
    /// call; what arrives beyond `count` is kept for the next read.
    public func read(_ count: Int, budget: inout Double) throws(Failure) -> [UInt8] {
        var result = pending.withLock { held -> [UInt8] in
            guard !held.isEmpty else { return [] }
            let taken = Array(held.prefix(count))
            held.removeFirst(taken.count)
            return taken
        }
        let room = min(64 << 10, max(16 << 10, count - result.count))
        while result.count < count {
            let (got, error) = withUnsafeTemporaryAllocation(byteCount: room, alignment: 1) { raw -> (Int, Int32) in
                let got = Glibc.read(output, raw.baseAddress, room)
                guard got > 0 else { return (got, errno) }
                let useful = min(got, count - result.count)
                result.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<useful]))
                if got > useful {
                    pending.withLock { $0.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[useful..<got])) }
                }
                return (got, 0)
            }
            if got > 0 { continue }
            if got < 0 && error == EINTR { continue }
            if got == 0 { throw .ended(reap()) }
            guard error == EAGAIN else { throw .ended(reap()) }
            try wait(for: output, events: Int16(POLLIN), budget: &budget)
        }
        return result
    }

    /// Ends the process the polite way: stdin closed, a short wait for it to exit, then SIGKILL.
    public func finish(grace: Double = 2) {
        // The end of input, without closing the descriptor (deinit does that, once).
        shutdown(input, Int32(SHUT_WR))
        let deadline = MonotonicClock.now + grace
        while MonotonicClock.now < deadline {
            drainErrors()
            if waitForExit(options: WNOHANG) != nil { return }
            usleep(10_000)
        }
        terminate()
    }

    /// Kills the process at once.
    public func terminate() {
        guard !reaped.load(ordering: .acquiring) else { return }
        kill(pid, SIGKILL)
        _ = waitForExit()
    }

    /// Waits until `descriptor` is ready, draining stderr meanwhile so a plugin that floods it
    /// never blocks (and never fills memory: the bytes are counted and dropped). Asks
    /// `shouldStop` at least every ``stopCheckSeconds``: an interrupted scan does not wait out
    /// a plugin's time limit.
    private func wait(for descriptor: Int32, events: Int16, budget: inout Double) throws(Failure) {
        while true {
            guard budget > 0 else {
                terminate()
                throw .timedOut
            }
            if shouldStop() {
                terminate()
                throw .stopped
            }
            let slice = Int32(min(budget, Self.stopCheckSeconds) * 1000 + 0.999)
            let started = MonotonicClock.now
            let (ready, ready0, ready1) = withUnsafeTemporaryAllocation(of: pollfd.self, capacity: 2) { polled in
                polled[0] = pollfd(fd: descriptor, events: events, revents: 0)
                polled[1] = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
                let ready = poll(polled.baseAddress, 2, slice)
                return (ready < 0 ? -Int(errno) : Int(ready), polled[0].revents, polled[1].revents)
            }
            budget -= MonotonicClock.now - started
            if ready == -Int(EINTR) { continue }
            if ready < 0 { throw .ended(stop(reason: "could not be polled and was stopped")) }
            if ready1 != 0 { drainErrors() }
            if ready0 != 0 { return }
        }
    }

    private func drainErrors() {
        var sink = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let got = sink.withUnsafeMutableBytes { Glibc.read(errors, $0.baseAddress, $0.count) }
            if got > 0 {
                stderrTotal.add(got, ordering: .relaxed)
                continue
            }
            if got < 0 && errno == EINTR { continue }
            return
        }
    }

    private func stop(reason: String) -> String {
        terminate()
        return reason
    }

    /// Collects the exit status (retrying on EINTR) and marks the child reaped.
    private func waitForExit(options: Int32 = 0) -> Int32? {
        ChildStatus.collect(pid, reaped: reaped, options: options)
    }

    /// Says how a process that closed its pipe ended: its exit code or signal when it ends
    /// within two seconds, otherwise it is killed.
    private func reap() -> String {
        var status: Int32?
        for _ in 0..<200 {
            drainErrors()
            status = waitForExit(options: WNOHANG)
            if status != nil || reaped.load(ordering: .acquiring) { break }
            usleep(10_000)
        }
        guard let status else { return stop(reason: "closed its pipe without answering and was stopped") }
        return ChildStatus.describe(status)
    }

    private static func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }

    /// The process could not be started.
    public struct SpawnError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The errno of the step that failed.
        public var errno: Int32
        public var description: String { String(cString: strerror(errno)) }
    }
}
