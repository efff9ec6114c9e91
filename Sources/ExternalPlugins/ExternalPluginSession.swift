import BlindfoldCore
import Isolation
import Manifest

/// One item through an external plugin.
///
/// When the item's size is known before it is read (a file, an archive member with a declared
/// size), the item message carries it and each chunk goes to the plugin as it is read; should
/// the bytes turn out to differ from that size (a member header that lied, a file that changed),
/// the plugin's answer is discarded and the item gets a `truncated` plugin error. When the size
/// is unknown the bytes are collected first (up to the plugin's `max_bytes`, at most
/// ``bufferCap``) and sent with their exact size.
///
/// Every wait on the plugin for this item (accepting frames, answering) counts against one
/// budget, `--item-timeout`; reading the evidence does not.
final class ExternalPluginSession: HashSession {
    /// The most bytes of an item of unknown size held for a plugin.
    static let bufferCap = Int(HashPluginDescriptor.standardWholeItemCap)
    /// Items of at most this many bytes are held and sent at the end in one write: the item
    /// message, the content frame and the end frame together (one system call, not four).
    static let coalesceLimit = 64 << 10

    private let host: ExternalPluginHost
    private let context: ItemContext
    private let declared: Int64?
    private let limit: Int64
    /// True when the bytes are held until ``finish()`` (size unknown, or small).
    private let holds: Bool
    private var buffer: [UInt8] = []
    private var instance: PluginInstance?
    private var id: Int64 = 0
    private var budget: Double
    private var received: Int64 = 0
    private var outcome: PluginOutcome?

    init(host: ExternalPluginHost, context: ItemContext) {
        self.host = host
        self.context = context
        budget = host.itemTimeout
        let maxBytes = host.declaration.maxBytes ?? Int64.max
        declared = context.size
        limit = context.size == nil ? min(maxBytes, Int64(Self.bufferCap)) : maxBytes
        holds = context.size.map { $0 <= Int64(Self.coalesceLimit) } ?? true
    }

    deinit {
        // An item abandoned mid-way (an interrupted scan) leaves its process out of step.
        if let instance { host.discard(instance) }
    }

    func update(_ chunk: UnsafeRawBufferPointer) {
        guard outcome == nil else { return }
        let before = received
        received += Int64(chunk.count)
        guard received <= limit else {
            outcome = tooLarge()
            buffer = []
            return
        }
        // Past the declared size nothing more is sent or held; finish() says so.
        let wanted = declared.map { Int(max(0, min(Int64(chunk.count), $0 - before))) } ?? chunk.count
        guard wanted > 0 else { return }
        let part = UnsafeRawBufferPointer(rebasing: chunk[0..<wanted])
        if holds {
            buffer.append(contentsOf: part)
            return
        }
        if instance == nil { begin(size: declared ?? 0) }
        sendContent(part)
    }

    func finish() -> PluginOutcome {
        if let outcome {
            releaseOnError()
            return outcome
        }
        if holds {
            sendHeld(size: declared ?? received)
        } else {
            if instance == nil { begin(size: declared ?? 0) }
            send(PluginFrame.prefix(0))
        }
        if let outcome { return outcome }
        guard let instance else { return .notApplicable }
        let result = readResult(instance)
        guard declared == nil || received == declared else {
            return .failure(PluginFailure(
                status: .truncated,
                reason: "the item's bytes differed from its declared size, so the plugin's answer was discarded"))
        }
        return result
    }

    // MARK: - Steps

    private func tooLarge() -> PluginOutcome {
        if let instance {
            self.instance = nil
            host.discard(instance)
        }
        // Larger than what the plugin declared it takes: not sent, not applicable. Larger than
        // what is buffered for an item of unknown size: a visible limit.
        guard let maxBytes = host.declaration.maxBytes, received > maxBytes else {
            return .failure(PluginFailure(status: .limit, reason: "the item's size was not known in advance and it is larger than the \(Self.bufferCap) bytes held for an external plugin"))
        }
        return .notApplicable
    }

    private func begin(size: Int64) {
        guard acquire() else { return }
        send(itemMessage(size: size))
    }

    /// Sends the held bytes as a whole item: one write when they are few, else the message,
    /// content frames of at most 1 MiB and the end frame.
    private func sendHeld(size: Int64) {
        guard acquire() else { return }
        var frames = itemMessage(size: size)
        if buffer.count <= Self.coalesceLimit {
            frames.reserveCapacity(frames.count + buffer.count + 8)
            if !buffer.isEmpty {
                frames += PluginFrame.prefix(buffer.count)
                frames += buffer
            }
            frames += PluginFrame.prefix(0)
            buffer = []
            send(frames)
            return
        }
        send(frames)
        buffer.withUnsafeBytes { sendContent($0) }
        buffer = []
        send(PluginFrame.prefix(0))
    }

    /// Takes a process for this item and gives the item its id; false (with the outcome set)
    /// when there is none.
    private func acquire() -> Bool {
        do throws(PluginFailure) {
            instance = try host.acquire()
            id = host.itemID()
            return true
        } catch {
            outcome = .failure(error)
            return false
        }
    }

    /// The item message as a frame.
    private func itemMessage(size: Int64) -> [UInt8] {
        let message = JSONItem.message(id: id, mime: context.mime ?? "application/octet-stream", size: size)
        return PluginFrame.prefix(message.count) + message
    }

    private func sendContent(_ chunk: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < chunk.count, outcome == nil {
            let count = min(PluginFrame.contentChunk, chunk.count - offset)
            guard send(PluginFrame.prefix(count)) else { return }
            guard let base = chunk.baseAddress else { return }
            _ = send(UnsafeRawBufferPointer(start: base + offset, count: count))
            offset += count
        }
    }

    @discardableResult
    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { send($0) }
    }

    private func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard outcome == nil, let instance else { return false }
        do throws(PluginProcess.Failure) {
            try instance.process.write(bytes, budget: &budget)
            return true
        } catch {
            fail(instance, error)
            return false
        }
    }

    private func readResult(_ instance: PluginInstance) -> PluginOutcome {
        let frame: [UInt8]
        do throws(PluginProcess.Failure) {
            let length = PluginFrame.length(try instance.process.read(4, budget: &budget))
            guard length <= PluginFrame.maxLength else {
                return violation(instance, "it announced a frame of more than 16 MiB")
            }
            guard length > 0 else { return violation(instance, "it answered with an empty frame") }
            frame = try instance.process.read(length, budget: &budget)
        } catch {
            fail(instance, error)
            return outcome ?? .notApplicable
        }
        self.instance = nil
        switch PluginResult.read(frame, id: id, declaration: host.declaration) {
        case .answered(let answer):
            host.release(instance)
            return answer
        case .violation(let what):
            return .failure(host.drop(instance, PluginFailure(
                status: .corrupt, reason: "the plugin broke the protocol (\(what)) and was replaced")))
        }
    }

    private func violation(_ instance: PluginInstance, _ what: String) -> PluginOutcome {
        self.instance = nil
        let failure = host.drop(instance, PluginFailure(
            status: .corrupt, reason: "the plugin broke the protocol (\(what)) and was replaced"))
        outcome = .failure(failure)
        return .failure(failure)
    }

    private func fail(_ instance: PluginInstance, _ error: PluginProcess.Failure) {
        self.instance = nil
        let failure: PluginFailure
        switch error {
        case .timedOut:
            failure = PluginFailure(
                status: .limit,
                reason: "the plugin spent more than \(Int(host.itemTimeout.rounded(.up))) s on this item and was stopped; a fresh process took over")
        case .ended(let how):
            failure = PluginFailure(status: .corrupt, reason: "the plugin process \(how) on this item; a fresh process took over")
        case .stopped:
            // The scan's doing, not the plugin's: not counted towards switching it off.
            host.discard(instance)
            outcome = .failure(PluginFailure(status: .skipped, reason: "the scan was interrupted while the plugin worked on this item"))
            return
        }
        outcome = .failure(host.drop(instance, failure))
    }

    /// A session that stopped early still holds a process mid-item: it cannot serve another.
    private func releaseOnError() {
        guard let instance else { return }
        self.instance = nil
        host.discard(instance)
    }
}

/// The scanner's item message.
enum JSONItem {
    static func message(id: Int64, mime: String, size: Int64) -> [UInt8] {
        var text = ""
        JSONValue.object([("type", .string("item")), ("id", .int(id)), ("mime", .string(mime)), ("size", .int(size))])
            .write(to: &text)
        return Array(text.utf8)
    }
}
