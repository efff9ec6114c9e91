import BlindfoldCore
import Foundation
import Isolation
import Synchronization

/// The running side of one external plugin for a whole scan: its idle processes, the item ids,
/// and the count of failures in a row that switches it off.
///
/// A process that crashed, hung or broke the protocol is dropped (killed) and the next item
/// gets a fresh one; a fresh process must declare exactly what the first one did, from an
/// executable with the same SHA-256, or it is refused for that item.
public final class ExternalPluginHost: Sendable {
    /// How processes start.
    public let launch: PluginLaunch
    /// What the plugin declared at its first handshake.
    public let declaration: PluginDeclaration
    /// The SHA-256 of the executable at that handshake.
    public let executableSHA256: String
    /// Seconds the scanner waits on the plugin for one item, in all (`--item-timeout`).
    public let itemTimeout: Double
    /// Failures in a row (crash, hang, broken protocol) after which the plugin is switched off.
    public let switchOffAfter: Int
    /// True once the scan is being interrupted: every wait on a process ends within
    /// ``PluginProcess/stopCheckSeconds``, and the item is not charged to the plugin.
    public let shouldStop: @Sendable () -> Bool

    private let idle = Mutex<[PluginInstance]>([])
    /// Processes handed to a session and not yet taken back or dropped: at the end of a scan
    /// that was interrupted, the ones still stuck on an item are killed, not left running.
    private let busy = Mutex<[ObjectIdentifier: PluginInstance]>([:])
    private let workParent: Mutex<String>
    private let nextID = Atomic<Int64>(1)
    private let inARow = Atomic<Int>(0)
    private let off = Atomic<Bool>(false)
    private let failed = Atomic<Int>(0)
    private let skipped = Atomic<Int>(0)
    private let stderrBytes = Atomic<Int>(0)

    /// A host for the plugin whose first handshake gave `declaration`.
    public init(launch: PluginLaunch, declaration: PluginDeclaration, executableSHA256: String, itemTimeout: Double,
                workParent: String, switchOffAfter: Int = 5, shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.launch = launch
        self.shouldStop = shouldStop
        self.declaration = declaration
        self.executableSHA256 = executableSHA256
        self.itemTimeout = itemTimeout
        self.switchOffAfter = switchOffAfter
        self.workParent = Mutex(workParent)
    }

    /// Where the processes' private working folders are made from now on (the scan's output
    /// folder, once it exists: never inside a scanned root).
    public func setWorkParent(_ path: String) { workParent.withLock { $0 = path } }

    /// True once the plugin was switched off.
    public var switchedOff: Bool { off.load(ordering: .acquiring) }
    /// Items on which a process failed (crash, hang, broken protocol, refused restart).
    public var failures: Int { failed.load(ordering: .relaxed) }
    /// Items not sent because the plugin was switched off.
    public var skippedItems: Int { skipped.load(ordering: .relaxed) }
    /// Bytes the plugin's processes wrote on stderr (counted, never kept).
    public var stderrTotal: Int { stderrBytes.load(ordering: .relaxed) }

    /// A fresh item id, unique across this plugin's processes.
    func itemID() -> Int64 { nextID.add(1, ordering: .relaxed).oldValue }

    /// An idle process, or a fresh one that passed the handshake.
    func acquire() throws(PluginFailure) -> PluginInstance {
        if switchedOff {
            skipped.add(1, ordering: .relaxed)
            throw PluginFailure(status: .unsupported, reason: "the plugin was switched off after \(switchOffAfter) failures in a row")
        }
        if let instance = idle.withLock({ $0.popLast() }) { return lend(instance) }
        let started: (instance: PluginInstance, declaration: PluginDeclaration)
        do throws(HandshakeProblem) {
            guard try launch.executableDigest() == executableSHA256 else {
                throw .start("its executable changed since the scan started")
            }
            started = try launch.start(workParent: workParent.withLock { $0 }, shouldStop: shouldStop)
        } catch {
            throw failure(PluginFailure(status: .unsupported, reason: "a fresh plugin process was refused: \(error)"))
        }
        guard started.declaration == declaration else {
            started.instance.end(politely: false)
            throw failure(PluginFailure(status: .unsupported, reason: "a fresh plugin process declared other outputs or limits than the first: refused"))
        }
        return lend(started.instance)
    }

    private func lend(_ instance: PluginInstance) -> PluginInstance {
        busy.withLock { $0[ObjectIdentifier(instance)] = instance }
        return instance
    }

    private func takeBack(_ instance: PluginInstance) {
        _ = busy.withLock { $0.removeValue(forKey: ObjectIdentifier(instance)) }
    }

    /// Takes back a process that answered in step.
    func release(_ instance: PluginInstance) {
        takeBack(instance)
        account(instance)
        inARow.store(0, ordering: .relaxed)
        idle.withLock { $0.append(instance) }
    }

    /// Drops a process that failed on an item and counts the failure; returns `failure`.
    func drop(_ instance: PluginInstance, _ failure: PluginFailure) -> PluginFailure {
        takeBack(instance)
        instance.end(politely: false)
        account(instance)
        return self.failure(failure)
    }

    /// Drops a process left mid-item through no fault of its own (the item was abandoned or
    /// outgrew the plugin's limit): killed, not counted as a failure.
    func discard(_ instance: PluginInstance) {
        takeBack(instance)
        instance.end(politely: false)
        account(instance)
    }

    private func failure(_ failure: PluginFailure) -> PluginFailure {
        failed.add(1, ordering: .relaxed)
        if inARow.add(1, ordering: .relaxed).newValue >= switchOffAfter { off.store(true, ordering: .releasing) }
        return failure
    }

    /// Ends every idle process the protocol's way (stdin closed) and removes their folders;
    /// kills the ones still busy (items left behind by an interrupted scan).
    public func shutdown() {
        for instance in busy.withLock({ Array($0.values) }) { instance.process.terminate() }
        let instances = idle.withLock { instances in
            defer { instances = [] }
            return instances
        }
        for instance in instances {
            instance.end(politely: true)
            account(instance)
        }
    }

    /// Adds what the process wrote on stderr since it was last counted.
    private func account(_ instance: PluginInstance) {
        let now = instance.process.stderrBytes
        stderrBytes.add(now - instance.countedStderr.exchange(now, ordering: .relaxed), ordering: .relaxed)
    }
}
