import BlindfoldCore
import Foundation

/// Joins the output folders of every shard of one sharded scan into the manifest the same
/// scan would have written on one machine: the item lines byte for byte and in walk order, a
/// header listing the shards, a summary recomputed over the merged items.
///
/// Everything is checked before anything is written (``init(directories:)``): each shard is
/// finished and matches its sidecar; all are shards of one invocation (roots, plugins, sets,
/// limits, options, shard count) and of one listing; no shard is given twice or missing. The
/// merge itself streams: one record group (a walk entry and its archive members) per shard in
/// memory, a heap ordered by ``WalkOrder``.
public struct ShardMerge {
    private let inputs: [ShardInput]

    /// The checked shards, in shard order.
    public init(directories: [String]) throws(ShardMergeError) {
        guard !directories.isEmpty else { throw ShardMergeError("give the output folder of every shard") }
        var inputs: [ShardInput] = []
        for directory in directories { inputs.append(try ShardInput(directory: directory)) }
        let reference = inputs[0]
        for input in inputs.dropFirst() {
            guard input.count == reference.count else {
                throw ShardMergeError(
                    "'\(input.directory)' is a shard of \(input.count), '\(reference.directory)' of \(reference.count): they belong to different scans")
            }
            if let field = Self.firstDifference(input.invocation, reference.invocation) {
                throw ShardMergeError(
                    "'\(input.directory)' is a shard of another scan: its \(field) differ from those of '\(reference.directory)'")
            }
            guard input.listingSHA256 == reference.listingSHA256 else {
                throw ShardMergeError(
                    "'\(input.directory)' listed a different tree than '\(reference.directory)' (the evidence changed between their listings): scan every shard again")
            }
        }
        var byIndex: [Int: ShardInput] = [:]
        for input in inputs {
            if let other = byIndex[input.index] {
                throw ShardMergeError(
                    "'\(other.directory)' and '\(input.directory)' are both shard \(input.index) of \(input.count): give each shard once")
            }
            byIndex[input.index] = input
        }
        for index in 0..<reference.count where byIndex[index] == nil {
            throw ShardMergeError(
                "shard \(index) of \(reference.count) is missing: give the output folders of all \(reference.count) shards")
        }
        self.inputs = (0..<reference.count).compactMap { byIndex[$0] }
    }

    /// The scanned roots, as the headers give them (for keeping the output outside them).
    public var roots: [String] { inputs.first?.header.roots ?? [] }

    /// Writes `directory/manifest.jsonl` and its sidecar (the folder exists); returns the
    /// tallies and the merged manifest's SHA-256. On failure nothing is left in `directory`.
    public func write(to directory: String) throws(ShardMergeError) -> (summary: ScanSummary, sha256: String) {
        let output: MergedManifestOutput
        do { output = try MergedManifestOutput(directory: directory) } catch { throw ShardMergeError("\(error)") }
        do {
            output.append(try mergedHeader())
            let summary = try mergeItems(into: output)
            output.append(Array((summaryJSON(summary).serialized + "\n").utf8))
            return (summary, try output.finish())
        } catch let error as ShardMergeError {
            output.abandon()
            throw error
        } catch {
            output.abandon()
            throw ShardMergeError("\(error)")
        }
    }

    /// The k-way merge: the next group is always the earliest in walk order among the shards'.
    private func mergeItems(into output: MergedManifestOutput) throws(ShardMergeError) -> ScanSummary {
        var readers: [RecordGroupReader] = []
        var heap = MinHeap<(group: RecordGroupReader.Group, shard: Int)> { left, right in
            let order = WalkOrder.compare(left.group.path, right.group.path)
            return order != 0 ? order < 0 : left.shard < right.shard
        }
        for input in inputs {
            let reader = try RecordGroupReader(
                path: input.directory + "/" + ManifestWriter.fileName, name: "shard \(input.index) ('\(input.directory)')")
            readers.append(reader)
            if let group = try reader.next() { heap.push((group, readers.count - 1)) }
        }
        var summary = ScanSummary()
        var previous: VirtualPath?
        while let (group, shard) = heap.pop() {
            if let previous, WalkOrder.compare(previous, group.path) >= 0 {
                throw ShardMergeError(
                    "shard \(inputs[shard].index) ('\(inputs[shard].directory)') records an entry another shard recorded too, or out of walk order: scan the shards again")
            }
            previous = group.path
            for (line, record) in zip(group.lines, group.records) {
                output.append(line)
                let topLevel = record.path.layers.isEmpty
                summary.add(record, bytesRead: topLevel && !record.hashes.isEmpty ? record.size ?? 0 : 0)
                if topLevel { summary.memberBytes += record.container?.memberBytes ?? 0 }
            }
            if let next = try readers[shard].next() { heap.push((next, shard)) }
        }
        summary.firstKnownBadSeconds = firstKnownBad
        return summary
    }

    /// Shard 0's header without its `shard` object or `resumed` list, started when the first
    /// shard started, with the `shards` object (every shard's manifest SHA-256 and times).
    private func mergedHeader() throws(ShardMergeError) -> [UInt8] {
        var header = inputs[0].header
        header.shard = nil
        header.resumed = []
        header.started = earliestStart
        var shards = JSONObjectBuilder()
        shards.add("count", inputs.count)
        shards.add("listing_sha256", inputs[0].listingSHA256)
        shards.add("merged", Timestamp.now().rfc3339)
        shards.add("parts", .array(inputs.map { input in
            var part = JSONObjectBuilder()
            part.add("index", input.index)
            part.add("manifest_sha256", input.manifestSHA256)
            part.add("started", input.started.rfc3339)
            part.add("finished", input.finished.rfc3339)
            if !input.header.resumed.isEmpty { part.add("resumed", input.header.resumed.count) }
            part.add("items", input.summary.tallies.items)
            part.add("bytes", input.summary.tallies.bytes)
            return part.value
        }))
        header.shards = shards.value
        return Array((header.manifestJSON.serialized + "\n").utf8)
    }

    private func summaryJSON(_ summary: ScanSummary) -> JSONValue {
        let finished = inputs.map(\.finished).max() ?? Timestamp.now()
        return SummaryRecord(
            finished: finished, durationSeconds: max(0, earliestStart.seconds(until: finished)), complete: true,
            tallies: summary
        ).manifestJSON
    }

    private var earliestStart: Timestamp { inputs.map(\.started).min() ?? Timestamp.now() }

    /// Seconds from the first shard's start to the earliest known-bad match any shard wrote.
    private var firstKnownBad: Double? {
        inputs.compactMap { input -> Double? in
            input.summary.tallies.firstKnownBadSeconds.map { earliestStart.seconds(until: input.started) + $0 }
        }.min()
    }

    /// The first header field in which two invocations differ, named for a person.
    private static func firstDifference(_ left: ScanHeader, _ right: ScanHeader) -> String? {
        if left.roots != right.roots { return "roots" }
        if left.hashSets != right.hashSets { return "hash sets" }
        if left.plugins != right.plugins { return "plugins" }
        if left.limits != right.limits { return "limits" }
        if left.options != right.options { return "options" }
        if left.tool != right.tool || left.schema != right.schema { return "tool versions" }
        if left.build != right.build { return "builds (binary, libraries or magic database)" }
        if left != right { return "header fields" }
        return nil
    }
}
