import BlindfoldCore
import Synchronization

/// How decoder workers are started and bounded.
public struct WorkerPoolConfiguration: Sendable, Hashable {
    /// The executable to start (this binary: `/proc/self/exe`).
    public var executable: String
    /// Its arguments, argument 0 included (`blindfold worker ...`).
    public var arguments: [String]
    /// Seconds a worker may spend on one item before it is killed.
    public var itemTimeout: Double
    /// Seconds a fresh worker has to say hello before it is refused.
    public var handshakeTimeout: Double

    /// A configuration from its parts.
    public init(executable: String = "/proc/self/exe", arguments: [String], itemTimeout: Double, handshakeTimeout: Double = 10) {
        self.executable = executable
        self.arguments = arguments
        self.itemTimeout = itemTimeout
        self.handshakeTimeout = handshakeTimeout
    }
}

/// Idle decoder workers, started on demand and reused; a worker that crashed or hung is
/// dropped (and killed) and a fresh one starts for the next item.
///
/// At most one worker per scanning thread is ever busy, so the pool never grows beyond the
/// scan's `--jobs`. Workers end when the pool is released (their socket closes). A fresh worker
/// is used only after its hello: the same wire version, and the same identity for the plugin
/// as the scan records.
public final class WorkerPool: Sendable {
    /// How workers are started.
    public let configuration: WorkerPoolConfiguration
    private let idle = Mutex<[(process: WorkerProcess, hello: WorkerHello)]>([])
    private let replaced = Atomic<Int>(0)

    /// A pool that starts workers as `configuration` says.
    public init(configuration: WorkerPoolConfiguration) { self.configuration = configuration }

    /// Workers that crashed, hung or were killed, and were replaced.
    public var replacements: Int { replaced.load(ordering: .relaxed) }

    /// Runs `plugin` (whose identity, ``HashPluginDescriptor/identity``, is `identity`) on
    /// `payload` in a worker and returns its outcome, or a failure that names the worker's fate
    /// (`corrupt` for a crash, `limit` for a timeout, `unsupported` for a worker refused at its
    /// hello).
    public func run(plugin: String, identity: String, context: ItemContext, payload: [UInt8]) -> PluginOutcome {
        run(plugin: plugin, identity: identity, request: WorkerRequest(pluginID: plugin, context: context, payload: payload), descriptor: nil)
    }

    /// Runs `plugin` in a worker on the file open on `descriptor` (read-only), which the worker
    /// is handed over its socket (`SCM_RIGHTS`) and reads with `pread`: nothing is copied, and
    /// the file may be of any size. The caller keeps and closes its own descriptor.
    public func run(plugin: String, identity: String, context: ItemContext, descriptor: Int32) -> PluginOutcome {
        run(plugin: plugin, identity: identity,
            request: WorkerRequest(pluginID: plugin, context: context, payload: [], announcesDescriptor: true), descriptor: descriptor)
    }

    private func run(plugin: String, identity: String, request: WorkerRequest, descriptor: Int32?) -> PluginOutcome {
        let worker: (process: WorkerProcess, hello: WorkerHello)
        do throws(WorkerStartError) {
            if let reused = idle.withLock({ $0.popLast() }) { worker = reused } else { worker = try start() }
            guard worker.hello.identities[plugin] == identity else {
                throw .identity(plugin: plugin, worker: worker.hello.identities[plugin], scan: identity)
            }
        } catch {
            return .failure(PluginFailure(status: .unsupported, reason: error.description))
        }
        do throws(WorkerProcess.Fate) {
            let outcome = try worker.process.run(request, descriptor: descriptor, timeout: configuration.itemTimeout)
            idle.withLock { $0.append(worker) }
            return outcome
        } catch {
            replaced.add(1, ordering: .relaxed)
            switch error {
            case .timedOut(let seconds):
                return .failure(PluginFailure(
                    status: .limit,
                    reason: "the decoder worker spent more than \(Int(seconds)) s on this item and was stopped; a fresh worker took over"))
            case .ended(let how):
                return .failure(PluginFailure(
                    status: .corrupt, reason: "the decoder worker \(how) on this item; a fresh worker took over"))
            }
        }
    }

    /// A fresh worker that said a hello this scanner accepts.
    private func start() throws(WorkerStartError) -> (process: WorkerProcess, hello: WorkerHello) {
        let process = try WorkerProcess(executable: configuration.executable, arguments: configuration.arguments)
        return (process, try process.handshake(timeout: configuration.handshakeTimeout))
    }
}
