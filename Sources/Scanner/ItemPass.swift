import BlindfoldCore
import Evidence

/// One item's single pass over its bytes: the head identifies it and chooses its plugin
/// sessions, every byte is fed to them once, and the end collects and matches their values.
///
/// Every item goes through one, whether it is streamed from a file or a member, or held in
/// memory. Not `Sendable`: one worker (or one lane) owns it for the item.
final class ItemPass {
    private let analysis: ItemAnalysis
    private var sessions: ItemAnalysis.Sessions = []
    private var parallel = false
    /// The evidence file, when the item is one (descriptor-reading plugins read it themselves).
    private let file: (any ItemFile)?
    /// True in a triage's first pass over a file (``ItemContext/firstPass``).
    private let firstPass: Bool

    /// A pass of `analysis` over one item; `file` when the item is a file on disk.
    init(analysis: ItemAnalysis, file: (any ItemFile)? = nil, firstPass: Bool = false) {
        self.analysis = analysis
        self.file = file
        self.firstPass = firstPass && file != nil
    }

    /// Identifies the item from `head` (its first bytes), opens the sessions that apply to it
    /// and feeds them `head`.
    func begin(head: UnsafeRawBufferPointer, sniffer: TypeSniffer?, record: inout ItemRecord) {
        analysis.identify(head, with: sniffer, into: &record)
        let declaredSize = record.size
        sessions = analysis.sessions(for: record, size: declaredSize, file: file, firstPass: firstPass)
        parallel = sessions.count > 1 && (declaredSize ?? 0) >= analysis.configuration.parallelDigestThreshold
        feed(head)
    }

    /// Feeds the next bytes, in order.
    func feed(_ chunk: UnsafeRawBufferPointer) {
        ItemAnalysis.feed(sessions, chunk, parallel: parallel)
    }

    /// Collects the sessions' values and matches them.
    func finish(into record: inout ItemRecord) {
        analysis.finish(sessions, into: &record)
    }

    /// The whole pass over an item whose bytes are all in memory.
    static func run(
        over data: UnsafeRawBufferPointer, analysis: ItemAnalysis, sniffer: TypeSniffer?, record: inout ItemRecord
    ) {
        let headCount = min(data.count, analysis.configuration.chunkSize)
        record.size = Int64(data.count)
        let pass = ItemPass(analysis: analysis)
        pass.begin(head: UnsafeRawBufferPointer(rebasing: data[0..<headCount]), sniffer: sniffer, record: &record)
        pass.feed(UnsafeRawBufferPointer(rebasing: data[headCount...]))
        pass.finish(into: &record)
    }
}
