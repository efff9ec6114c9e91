import BlindfoldCore

/// A manifest read in full and checked for consistency: every line readable, the header first,
/// the summary last, and the summary's counts agreeing with the items. What `verify` reports.
public struct ManifestCheck: Sendable {
    /// The header, when the first line is one.
    public private(set) var header: ScanHeader?
    /// The summary, when the last line is one.
    public private(set) var summary: SummaryRecord?
    /// The items, in manifest order.
    public private(set) var items: [ItemRecord] = []
    /// What does not add up, one sentence each, without content.
    public private(set) var problems: [String] = []

    /// Reads and checks the manifest at `path`.
    public init(path: String) {
        var lastNumber = 0
        var lastEndsLine = true
        var lastIsItem = false
        var pendingSummary: (number: Int, record: SummaryRecord)?
        do {
            try ManifestReader.forEachLine(in: path) { number, bytes in
                lastNumber = number
                lastEndsLine = bytes.last == UInt8(ascii: "\n")
                lastIsItem = false
                if let pending = pendingSummary {
                    problems.append("line \(pending.number) is out of place")
                    pendingSummary = nil
                }
                switch Result(catching: { () throws(ManifestReadError) in try ManifestReader.line(bytes) }) {
                case .failure(let error) where error.kind == .notJSONObject:
                    problems.append("line \(number) is not a JSON object")
                case .failure(let error) where error.kind == .invalidRecord:
                    problems.append("line \(number) is \(error)")
                case .failure:
                    problems.append("line \(number) is out of place")
                case .success(.header(let read)) where number == 1:
                    header = read
                case .success(.item(let item)) where number > 1:
                    items.append(item.record)
                    lastIsItem = true
                case .success(.summary(let read)) where number > 1:
                    pendingSummary = (number, read)
                case .success:
                    problems.append("line \(number) is out of place")
                }
            }
        } catch {
            problems = ["the manifest cannot be read"]
            return
        }
        guard lastEndsLine else {
            problems = ["the manifest does not end with a line break: it is cut off"]
            items = []
            return
        }
        if lastIsItem {
            // An item where the summary belongs.
            items.removeLast()
            problems.append("line \(lastNumber) is out of place")
        }
        summary = pendingSummary?.record
        guard header != nil, let summary else {
            problems.append("the header or the summary line is missing")
            return
        }
        checkCounts(against: summary.tallies)
    }

    /// Compares the summary's item, status and known-bad counts with the items.
    private mutating func checkCounts(against recorded: ScanSummary) {
        var counted = ScanSummary()
        for record in items { counted.add(record, bytesRead: 0) }
        if recorded.items != counted.items {
            problems.append("the summary counts \(recorded.items) items, the manifest holds \(counted.items)")
        }
        if recorded.byStatus != counted.byStatus {
            problems.append("the per-status counts do not match the items")
        }
        if recorded.knownBadItems != counted.knownBadItems {
            problems.append("the known-bad count does not match the items")
        }
    }
}
