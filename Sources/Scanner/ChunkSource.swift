import BlindfoldCore
import Dispatch
import Evidence

/// A stream of one item's bytes: a file on disk or a member inside an archive.
protocol ChunkSource: AnyObject {
    /// Reads the next bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int
}

/// A regular evidence file, read through the I/O gate.
final class FileChunkSource: ChunkSource {
    private let file: EvidenceFile
    private let ioGate: DispatchSemaphore
    private let progress: ScanProgress

    init(file: consuming EvidenceFile, ioGate: DispatchSemaphore, progress: ScanProgress) {
        self.file = file
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
}

/// The current member of an archive; every byte it produces is charged to the budgets of the
/// archive and of all the archives around it.
final class MemberChunkSource: ChunkSource {
    private let reader: ArchiveReader
    private let budget: ExpansionBudget

    init(reader: ArchiveReader, budget: ExpansionBudget) {
        self.reader = reader
        self.budget = budget
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        let count = try reader.readData(into: buffer)
        try budget.charge(Int64(count))
        return count
    }
}
