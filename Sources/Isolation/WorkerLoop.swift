import BlindfoldCore
import Foundation
import Glibc

/// The worker side: says hello on descriptor 3 (its end of the scanner's socket), then reads
/// request frames, runs the named plugin on the bytes (or on the file whose read-only
/// descriptor follows a descriptor request), and writes the outcome back, until the scanner
/// closes the socket. Frames are parsed with the same ``WireReader`` as the scanner's.
public enum WorkerLoop {
    /// The descriptor the scanner hands the worker its end of the socket on.
    static let channel: Int32 = 3

    /// Serves requests with `plugins` until end of input; returns the exit code (0 at the end of
    /// input, 2 for a frame that is not a request).
    ///
    /// - Parameter memoryCap: the address-space limit the worker sets on itself (bytes).
    /// - Parameter faultInjection: test-only: payloads carrying a fault marker crash, hang or
    ///   exhaust memory on purpose, so the tests can prove the scan survives each.
    /// - Parameter parent: the scanner's process id; the worker dies with it (a stuck worker
    ///   must not outlive a scanner that was killed), and exits at once if it is already gone.
    public static func run(plugins: [any WholeItemPlugin], memoryCap: Int, faultInjection: Bool, parent: pid_t?) -> Int32 {
        let byID = Dictionary(plugins.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard start(memoryCap: memoryCap, parent: parent, identities: byID.mapValues(\.descriptor.identity)) else { return 0 }
        // A request carries at most the largest cap of these plugins, plus its fields.
        let maxFrame = Int(clamping: plugins.compactMap(\.descriptor.sizeCap).max() ?? 0) + (64 << 10)
        while true {
            let request: WorkerRequest
            // A descriptor request's frame ends before the marker byte that carries the
            // descriptor: it was read exactly, and the descriptor is received right after.
            var handed: Int32?
            do {
                guard let frame = try readFrame(limit: maxFrame) else { return 0 }
                var reader = WireReader(frame)
                request = try reader.request()
                if request.announcesDescriptor { handed = try DescriptorPassing.receive(over: channel) }
            } catch {
                return 2
            }
            if faultInjection { FaultInjection.trigger(request.payload) }
            let outcome: PluginOutcome
            if let plugin = byID[request.pluginID] {
                outcome = if let handed {
                    HandedFile.outcome(of: plugin, descriptor: handed, context: request.context)
                } else {
                    plugin.outcome(for: request.payload, context: request.context)
                }
            } else {
                if let handed { close(handed) }
                outcome = .failure(PluginFailure(status: .unsupported, reason: "the worker has no plugin '\(request.pluginID)'"))
            }
            var writer = WireWriter()
            writer.outcome(outcome)
            guard writeAll(writer.framed) else { return 0 }
        }
    }

    /// What every worker does first: dies with its scanner, ignores SIGINT, caps its address
    /// space at `memoryCap` bytes and says hello with `identities`. False when the scanner is
    /// already gone.
    static func start(memoryCap: Int, parent: pid_t?, identities: [String: String]) -> Bool {
        if let parent {
            // PR_SET_PDEATHSIG would fire when the scanner *thread* that started the worker
            // ends, not the scanner; a watchdog that sees the worker re-parented is exact.
            guard getppid() == parent else { return false }
            Thread.detachNewThread {
                while getppid() == parent { sleep(1) }
                _exit(0)
            }
        }
        // Ctrl-C reaches the whole process group; the scanner decides what an interruption
        // means, so the worker must not die of it mid-item.
        signal(SIGINT, SIG_IGN)
        var limit = rlimit(rlim_cur: rlim_t(memoryCap), rlim_max: rlim_t(memoryCap))
        _ = setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
        var hello = WireWriter()
        hello.hello(WorkerHello(identities: identities))
        return writeAll(hello.framed)
    }

    /// The next frame's bytes; nil at the end of input.
    ///
    /// - Throws: ``WireReader/Malformed`` for a length over `limit` or a frame cut short.
    static func readFrame(limit: Int) throws(WireReader.Malformed) -> [UInt8]? {
        guard let length = readExactly(8) else { return nil }
        let count = WireReader.integer(length)
        guard count >= 0, count <= Int64(limit), let frame = readExactly(Int(count)) else { throw WireReader.Malformed() }
        return frame
    }

    private static func readExactly(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = buffer.withUnsafeMutableBytes { raw in
                read(channel, raw.baseAddress.map { $0 + offset }, count - offset)
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return nil }
            offset += got
        }
        return buffer
    }

    static func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(channel, raw.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

/// Deliberate failures for the isolation tests, active only when the scanner runs with
/// `BLINDFOLD_WORKER_FAULTS=1`: a payload containing one of the markers crashes the worker,
/// hangs it, or makes it allocate past its memory cap.
enum FaultInjection {
    static let crash = Array("BLINDFOLD-FAULT-CRASH".utf8)
    static let hang = Array("BLINDFOLD-FAULT-HANG".utf8)
    static let memory = Array("BLINDFOLD-FAULT-MEMORY".utf8)

    static func trigger(_ payload: [UInt8]) {
        if contains(payload, crash), let unmapped = UnsafeMutablePointer<UInt8>(bitPattern: 0x10) {
            // A real invalid write, as a broken decoder would make (raise() alone can be
            // caught and returned from by the runtime's crash handler).
            unmapped.pointee = 1
        }
        if contains(payload, hang) { while true { sleep(3600) } }
        if contains(payload, memory) {
            var hoard: [[UInt8]] = []
            while hoard.count >= 0 { hoard.append([UInt8](repeating: 1, count: 64 << 20)) }
        }
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index + needle.count <= haystack.count {
            if haystack[index] == first && Array(haystack[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}
