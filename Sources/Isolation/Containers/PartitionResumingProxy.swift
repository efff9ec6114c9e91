import BlindfoldCore
import Evidence

/// A disk image parsed in container workers, where a crash, a hang or a memory blow-up costs
/// one file system, not the image: when the worker is lost inside partition `k` (the member
/// being read then, and the image's record, say what happened), a fresh worker opens the
/// image again, skips the partitions up to `k` (``PartitionedContainer``) and goes on with the
/// next file system. The members listed before are kept either way.
///
/// The partition that took the worker down is the one of the last member the worker sent, or,
/// when it sent none since it opened, the first file system after those skipped; so every
/// restart either moves past a partition that produced members or skips one more, and there
/// are at most as many restarts as file systems. Anything else (an archive, an image without a
/// volume system, the parser's own failure, an interruption) ends the container as
/// ``ContainerProxy`` does.
final class PartitionResumingProxy: Container {
    /// Opens the image in a fresh worker, skipping the partitions up to the given index.
    typealias Opener = (_ skipThrough: Int?) throws(ItemReadError) -> ContainerProxy

    private let opener: Opener
    private var current: ContainerProxy?
    private var layout: DiskLayout?
    private var skipped: Int?
    /// The partition of the last member the current worker sent.
    private var lastPartition: Int?
    /// What each lost worker cost: the partition, the status and the reason.
    private var faults: [(partition: Int?, status: ItemStatus, reason: String)] = []
    private var finished: ContainerStep?
    /// The format to name while no worker holds the image (one could not open it again).
    private var formatAfterLoss: String?

    /// Opens the container with `opener` (nothing skipped).
    init(_ opener: @escaping Opener) throws(ItemReadError) {
        self.opener = opener
        let first = try opener(nil)
        current = first
        layout = first.diskLayout
    }

    var formatName: String { current?.formatName ?? formatAfterLoss ?? "unknown" }
    var diskLayout: DiskLayout? { layout }
    var memberNotes: [String] { current?.memberNotes ?? [] }

    func next() -> ContainerStep {
        if let finished { return finished }
        while let proxy = current {
            let step = proxy.next()
            switch step {
            case .entry(let entry):
                lastPartition = entry.location?.partition
                return step
            case .end:
                return finish(nil)
            case .failure(let status, let reason):
                // The parser's own failure keeps its words; a lost worker says where it was.
                guard proxy.workerLost else { return finish((partition: nil, status: status, reason: reason)) }
                guard let crashed = failedPartition(), hasFileSystem(after: crashed) else {
                    return finish((partition: failedPartition(), status: status, reason: reason))
                }
                faults.append((partition: crashed, status: status, reason: reason))
                resume(after: crashed)
            }
        }
        return finish(nil)
    }

    func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard let current else { return 0 }
        return try current.readData(into: buffer)
    }

    /// Opens the image in a fresh worker past partition `crashed`; a worker that cannot even
    /// open it again ends the image there.
    private func resume(after crashed: Int) {
        current = nil
        formatAfterLoss = layout?.imageFormat
        skipped = crashed
        lastPartition = nil
        do throws(ItemReadError) {
            current = try opener(crashed)
        } catch {
            faults.append((partition: nil, status: error.status, reason: "a fresh worker could not open the image again: \(error.reason)"))
        }
    }

    /// The partition the lost worker was in, or nil when it cannot be told (no volume system).
    private func failedPartition() -> Int? {
        if let lastPartition { return lastPartition }
        return fileSystemPartitions.first { partition in skipped.map { partition > $0 } ?? true }
    }

    private func hasFileSystem(after index: Int) -> Bool {
        fileSystemPartitions.contains { $0 > index }
    }

    /// The partitions whose file systems the parser lists, in table order.
    private var fileSystemPartitions: [Int] {
        (layout?.partitions ?? []).filter { $0.allocated && $0.fileSystem != nil }.map(\.index)
    }

    /// Ends the image: with `last` (the failure that ended it), and with every fault a fresh
    /// worker went on after; `.end` when there was none.
    private func finish(_ last: (partition: Int?, status: ItemStatus, reason: String)?) -> ContainerStep {
        let all = faults + (last.map { [$0] } ?? [])
        guard let first = all.first else {
            finished = .end
            return .end
        }
        let reasons = all.enumerated().map { index, fault in
            let place = fault.partition.map { "in partition \($0): " } ?? ""
            let goesOn = index < faults.count ? "; a fresh worker went on with the file systems after it" : ""
            return place + fault.reason + goesOn
        }
        let step = ContainerStep.failure(first.status, reasons.joined(separator: "; then "))
        finished = step
        return step
    }
}
