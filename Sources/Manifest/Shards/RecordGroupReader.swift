import BlindfoldCore

/// The item lines of one shard's manifest, a walk entry at a time: a top-level item and the
/// member lines after it (a container's members stay with it). Lines are kept as written.
final class RecordGroupReader {
    /// One walk entry's lines.
    struct Group {
        /// The top-level item's place in the walk.
        var path: VirtualPath
        /// The lines, byte for byte, each with its newline.
        var lines: [[UInt8]]
        /// The same lines parsed, for the summary.
        var records: [ItemRecord]
    }

    private let reader: LineReader
    private let name: String
    private var lookahead: (line: [UInt8], record: ItemRecord)?
    private var ended = false

    /// Reads `path` (a checked shard manifest) after its header line; `name` names the shard in errors.
    init(path: String, name: String) throws(ShardMergeError) {
        guard let reader = LineReader(path: path) else { throw ShardMergeError("cannot read '\(path)'") }
        self.reader = reader
        self.name = name
        _ = reader.next()
    }

    /// The next walk entry's lines, or nil after the last one.
    func next() throws(ShardMergeError) -> Group? {
        let pending = lookahead
        lookahead = nil
        var head = pending
        if head == nil { head = try readItem() }
        guard let head else { return nil }
        guard head.record.path.layers.isEmpty else {
            throw ShardMergeError("\(name): line \(reader.lineNumber) is an archive member without its container")
        }
        var group = Group(path: head.record.path, lines: [head.line], records: [head.record])
        while let next = try readItem() {
            guard !next.record.path.layers.isEmpty else {
                lookahead = next
                break
            }
            group.lines.append(next.line)
            group.records.append(next.record)
        }
        return group
    }

    /// The next item line, or nil at the summary.
    private func readItem() throws(ShardMergeError) -> (line: [UInt8], record: ItemRecord)? {
        guard !ended else { return nil }
        guard let line = reader.next() else { throw ShardMergeError("\(name): the manifest ends without a summary") }
        let parsed: ManifestLine
        do { parsed = try ManifestReader.line(line) } catch {
            throw ShardMergeError("\(name): line \(reader.lineNumber) cannot be read (\(error))")
        }
        let record: ItemRecord
        switch parsed {
        case .summary:
            ended = true
            return nil
        case .item(let item):
            record = item.record
        case .header:
            throw ShardMergeError("\(name): line \(reader.lineNumber) is a second header")
        }
        return (line, record)
    }
}
