import BlindfoldCore
import Synchronization

/// How container workers are started and bounded.
public struct ContainerWorkerConfiguration: Sendable {
    /// The executable to start (this binary).
    public var executable: String
    /// Its arguments, argument 0 included (`blindfold worker --containers ...`).
    public var arguments: [String]
    /// Seconds a parser may go without progress (a new member, member data, or a block of the
    /// container consumed) before its worker is stopped and the container recorded `limit`.
    public var stallTimeout: Double
    /// Seconds a fresh worker has to say hello before it is refused.
    public var handshakeTimeout: Double
    /// True once the scan is interrupted: a parser is then stopped at once, whatever it is doing.
    public var shouldStop: @Sendable () -> Bool
    /// Why the scan stopped, as the container's record says it once ``shouldStop`` is true
    /// (an interruption, or a triage whose time budget ran out).
    public var stopReason: @Sendable () -> String

    /// A configuration from its parts.
    public init(
        executable: String = "/proc/self/exe", arguments: [String], stallTimeout: Double, handshakeTimeout: Double = 10,
        shouldStop: @escaping @Sendable () -> Bool,
        stopReason: @escaping @Sendable () -> String = { "scan interrupted while its members were listed" }
    ) {
        self.executable = executable
        self.arguments = arguments
        self.stallTimeout = stallTimeout
        self.handshakeTimeout = handshakeTimeout
        self.shouldStop = shouldStop
        self.stopReason = stopReason
    }
}

/// Idle container workers, started on demand and reused; a worker whose parser crashed, hung
/// or ran out of memory is dropped (and killed), and a fresh one serves the next container.
///
/// A worker serves one container at a time, so a scanning thread holds one worker per open
/// container on its current path (a zip inside a tar: two); the pool never holds more than
/// `--jobs` times `--archive-depth`. Workers end when the pool is released.
public final class ContainerWorkerPool: Sendable {
    /// How workers are started.
    public let configuration: ContainerWorkerConfiguration
    private let idle = Mutex<[WorkerProcess]>([])
    private let replaced = Atomic<Int>(0)

    /// A pool that starts workers as `configuration` says.
    public init(configuration: ContainerWorkerConfiguration) { self.configuration = configuration }

    /// Workers that crashed, hung or were killed, and were replaced.
    public var replacements: Int { replaced.load(ordering: .relaxed) }

    /// An idle worker, or a fresh one that said a hello this scanner accepts.
    func take() throws(WorkerStartError) -> WorkerProcess {
        if let reused = idle.withLock({ $0.popLast() }) { return reused }
        let process = try WorkerProcess(executable: configuration.executable, arguments: configuration.arguments)
        let hello = try process.handshake(timeout: configuration.handshakeTimeout)
        guard hello.identities[ContainerWire.helloKey] != nil else {
            throw .identity(plugin: ContainerWire.helloKey, worker: nil, scan: "1")
        }
        return process
    }

    /// A worker that finished its container and is ready for the next.
    func giveBack(_ worker: WorkerProcess) { idle.withLock { $0.append(worker) } }

    /// Counts a worker that was dropped (the caller releases it, which kills it).
    func dropped() { replaced.add(1, ordering: .relaxed) }
}
