import BlindfoldCore
import Dispatch
import Evidence

/// A stream of one item's bytes: a file on disk, a member inside a container, or bytes already
/// in memory. Every item is read through one, whatever it is.
protocol ChunkSource: AnyObject {
    /// Reads the next bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int

    /// All of the item's bytes, when they are already in memory (they stay valid as long as
    /// the source); nil for a stream.
    var wholeBytes: UnsafeRawBufferPointer? { get }

    /// Random access to the item's bytes, when it is a file on disk; nil otherwise.
    var randomAccess: (any RandomAccessInput)? { get }

    /// The evidence file itself, when the item is a file on disk, for plugins that read it from
    /// its descriptor (``DescriptorReadingPlugin``); nil for members and bytes in memory.
    var itemFile: (any ItemFile)? { get }
}

extension ChunkSource {
    var wholeBytes: UnsafeRawBufferPointer? { nil }
    var randomAccess: (any RandomAccessInput)? { nil }
    var itemFile: (any ItemFile)? { nil }
}

/// A regular evidence file, read through the I/O gate (front to back, and at any offset for
/// a container that needs random access, such as a disk image).
final class FileChunkSource: ChunkSource, DescriptorBackedInput, ItemFile {
    private let file: EvidenceFile
    /// Where it was opened from (its segments are looked for beside it).
    let location: EntryLocation
    let ioGate: DispatchSemaphore
    let progress: ScanProgress

    init(file: consuming EvidenceFile, location: EntryLocation, ioGate: DispatchSemaphore, progress: ScanProgress) {
        self.file = file
        self.location = location
        self.ioGate = ioGate
        self.progress = progress
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        ioGate.wait()
        defer { ioGate.signal() }
        let count = try file.read(into: buffer)
        progress.read(count)
        return count
    }

    var randomAccess: (any RandomAccessInput)? { self }

    var itemFile: (any ItemFile)? { self }

    func withReadOnlyDescriptor<Result>(_ body: (Int32) -> Result) -> Result {
        file.withReadOnlyDescriptor(body)
    }

    var size: Int64 { file.size }

    var files: [DescriptorSegment] { [DescriptorSegment(descriptor: file.readOnlyDescriptor, size: size)] }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        ioGate.wait()
        defer { ioGate.signal() }
        return try file.read(at: offset, into: buffer)
    }
}

/// The current member of a container; every byte it produces is charged to the budgets of the
/// container and of all the containers around it.
final class MemberChunkSource: ChunkSource {
    private let container: any Container
    private let budget: ExpansionBudget

    init(container: any Container, budget: ExpansionBudget) {
        self.container = container
        self.budget = budget
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        let holesBefore = container.sparseHoleBytes
        let count = try container.readData(into: buffer)
        let holes = min(Int64(count), max(0, container.sparseHoleBytes - holesBefore))
        try budget.charge(Int64(count), holes: holes)
        return count
    }
}

/// Bytes already in memory (a small member read whole), read like any other source.
///
/// Borrows `bytes`: the caller keeps them alive and unchanged while the source is used.
final class MemoryChunkSource: ChunkSource {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0, let base = bytes.baseAddress else { return 0 }
        buffer.baseAddress?.copyMemory(from: base.advanced(by: offset), byteCount: count)
        offset += count
        return count
    }

    var wholeBytes: UnsafeRawBufferPointer? { bytes }
}
