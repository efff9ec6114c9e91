import Evidence
import Glibc

/// The container worker's side of evidence files handed over by descriptor (disk images): the
/// descriptors received after `openFiles`, random access over them, the `progress` frames, and
/// (in tests only) the fault markers in what the parser reads.
extension ContainerWorkerSession {
    /// The `count` descriptors that follow an `openFiles` frame, taken all before anything else
    /// is answered.
    func receiveDescriptors(_ count: Int) throws(Stop) -> [Int32] {
        var received: [Int32] = []
        for _ in 0..<count {
            do throws(DescriptorPassing.Failure) {
                received.append(try DescriptorPassing.receive(over: WorkerLoop.channel))
            } catch {
                for descriptor in received { Glibc.close(descriptor) }
                throw error == .closed ? .endOfInput : .outOfProtocol
            }
        }
        return received
    }

    /// Random access over the received descriptors, one per segment, each reporting what it
    /// reads (every ``ContainerWire/progressStep`` bytes) and, in tests, triggering faults.
    func segments(_ descriptors: [Int32], sizes: [Int64]) throws(ItemReadError) -> [any RandomAccessInput] {
        var inputs: [any RandomAccessInput] = []
        var failure: ItemReadError?
        for (descriptor, size) in zip(descriptors, sizes) {
            // Every descriptor is owned by an input or closed, even after a refusal.
            guard failure == nil else {
                Glibc.close(descriptor)
                continue
            }
            do throws(ItemReadError) {
                inputs.append(try DescriptorRandomAccess(descriptor: descriptor, size: size) { [unowned self] bytes in
                    self.observe(bytes)
                })
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return inputs
    }

    /// Counts what a parser read from its files and says so now and then; in tests, a block
    /// carrying a fault marker crashes, hangs or exhausts the worker.
    func observe(_ bytes: UnsafeRawBufferPointer) {
        if faultInjection, Self.mayCarryMarker(bytes) { FaultInjection.trigger(Array(bytes)) }
        let before = readFromFiles / ContainerWire.progressStep
        readFromFiles += Int64(bytes.count)
        if readFromFiles / ContainerWire.progressStep != before {
            // A scanner that is gone ends the worker at its next frame; nothing to do here.
            try? reply(.progress(read: readFromFiles))
        }
    }

    /// True when `bytes` hold the start of a fault marker: a parser reads whole file systems
    /// (TSK's orphan search), and a byte-by-byte search of each copy costs seconds in tests.
    static func mayCarryMarker(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let prefix = Array("BLINDFOLD-FAULT-".utf8)
        guard var cursor = bytes.baseAddress, bytes.count >= prefix.count else { return false }
        let end = cursor + bytes.count
        while end - cursor >= prefix.count, let found = memchr(cursor, Int32(prefix[0]), end - cursor) {
            let start = UnsafeRawPointer(found)
            if end - start >= prefix.count, memcmp(start, prefix, prefix.count) == 0 { return true }
            cursor = start + 1
        }
        return false
    }
}
