import BlindfoldCore
import Dispatch
import Evidence
import Foundation

/// Small archive members, read whole into memory in archive order, then identified and hashed
/// on every core at once: decompression is sequential, but sniffing and hashing thousands of
/// small members need not be.
struct MemberBatch {
    /// A member and its bytes (or the record of why it could not be read).
    struct Job {
        var record: ItemRecord
        var data: [UInt8]
        var readFailed: Bool
    }

    /// Members up to this size are batched.
    static let memberLimit: Int64 = 1 << 20
    /// A batch is processed when it holds this many bytes or members.
    static let byteLimit = 16 << 20
    static let countLimit = 512

    private(set) var jobs: [Job] = []
    private var bytes = 0

    var isFull: Bool { bytes >= Self.byteLimit || jobs.count >= Self.countLimit }
    var isEmpty: Bool { jobs.isEmpty }

    mutating func add(_ job: Job) {
        bytes += job.data.count
        jobs.append(job)
    }

    /// Takes the jobs out, leaving the batch empty.
    mutating func take() -> [Job] {
        defer {
            jobs = []
            bytes = 0
        }
        return jobs
    }

    /// Identifies, hashes and matches every readable job, spreading them over `sniffers.count`
    /// lanes (one libmagic cookie per lane). Returns the jobs with their records completed.
    static func analyse(_ jobs: [Job], sniffers: [TypeSniffer?], analysis: ItemAnalysis) -> [Job] {
        var jobs = jobs
        let lanes = max(1, min(sniffers.count, jobs.count))
        jobs.withUnsafeMutableBufferPointer { slots in
            let work = LaneWork(slots: slots, sniffers: sniffers, analysis: analysis, lanes: lanes)
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in work.run(lane: lane) }
        }
        return jobs
    }
}

extension ItemProcessor {
    /// Analyses the batched members on every core, then, in order, records each and expands
    /// the ones that are containers.
    func flush(_ batch: inout MemberBatch, context: ExpansionContext) {
        guard !batch.isEmpty else { return }
        let jobs = MemberBatch.analyse(batch.take(), sniffers: makeLaneSniffers(), analysis: analysis)
        for var job in jobs {
            guard !job.readFailed else {
                context.records.append(job.record)
                continue
            }
            let place = context.records.reserve(job.record)
            expandRead(job.data, record: &job.record, context: context)
            context.records.fill(place, with: job.record)
        }
    }

    /// One sniffer per core, made on first use. A lane whose cookie cannot be made (out of
    /// descriptors, say) is simply not used: a cookie is never shared between lanes.
    private func makeLaneSniffers() -> [TypeSniffer?] {
        guard laneSniffers.isEmpty else { return laneSniffers }
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        guard let sniffer, let options = configuration.sniffOptions else {
            laneSniffers = Array(repeating: nil, count: lanes)
            return laneSniffers
        }
        laneSniffers.append(sniffer)
        for _ in 1..<lanes {
            guard let extra = try? TypeSniffer(options: options) else { break }
            laneSniffers.append(extra)
        }
        return laneSniffers
    }
}

/// The jobs of one batch, split over lanes by index (lane `k` takes jobs `k`, `k + lanes`, ...).
///
/// `@unchecked Sendable` is safe because of how `concurrentPerform` uses it: each lane writes
/// only the job slots whose index it owns and uses only its own sniffer, the slots outlive the
/// call (it returns after every lane finished), and nothing keeps this value afterwards.
private struct LaneWork: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<MemberBatch.Job>
    let sniffers: [TypeSniffer?]
    let analysis: ItemAnalysis
    let lanes: Int

    func run(lane: Int) {
        for index in stride(from: lane, to: slots.count, by: lanes) where !slots[index].readFailed {
            let data = slots[index].data
            data.withUnsafeBytes { bytes in
                ItemPass.run(over: bytes, analysis: analysis, sniffer: sniffers[lane], record: &slots[index].record)
            }
        }
    }
}
