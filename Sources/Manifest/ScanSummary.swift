import BlindfoldCore

/// The tallies of a scan: what the summary line and the terminal report say.
public struct ScanSummary: Sendable, Hashable {
    /// Items recorded.
    public var items = 0
    /// Bytes read from items (each byte once).
    public var bytes: Int64 = 0
    /// Bytes archive members produced (not read from the evidence as such).
    public var memberBytes: Int64 = 0
    /// Items per status.
    public var byStatus: [ItemStatus: Int] = [:]
    /// Items with at least one alerting known-bad match (the hits: exit code, verdict).
    public var knownBadItems = 0
    /// Items whose known-bad matches are all in categories that do not alert (recorded, not hits).
    public var knownBadNotAlertingItems = 0
    /// Items with at least one known-good match (and no known-bad one).
    public var knownGoodItems = 0
    /// Matching items per set name.
    public var bySet: [String: Int] = [:]
    /// Known-bad matching items per category (`uncategorised` when the set has none), alerting
    /// or not.
    public var byCategory: [String: Int] = [:]
    /// Items whose extension contradicts their type.
    public var extensionMismatches = 0
    /// Items that hit each limit.
    public var limitsHit: [String: Int] = [:]
    /// Items with at least one plugin failure.
    public var pluginErrors = 0
    /// Seconds from the start of the scan to the first known-bad match written.
    public var firstKnownBadSeconds: Double?

    /// An empty tally.
    public init() {}

    /// Counts one record.
    public mutating func add(_ record: ItemRecord, bytesRead: Int64) {
        items += 1
        bytes += bytesRead
        byStatus[record.status, default: 0] += 1
        if record.extensionMismatch == true { extensionMismatches += 1 }
        if !record.pluginErrors.isEmpty { pluginErrors += 1 }
        if record.status == .limit, let reason = record.reason {
            let name = reason.prefix { $0 != ":" }
            limitsHit[String(name), default: 0] += 1
        }
        let bad = record.matches.filter { $0.role == .knownBad }
        if !bad.isEmpty {
            if bad.contains(where: \.alerts) { knownBadItems += 1 } else { knownBadNotAlertingItems += 1 }
            for category in Set(bad.map { $0.category ?? "uncategorised" }) { byCategory[category, default: 0] += 1 }
        } else if record.matches.contains(where: { $0.role == .knownGood }) {
            knownGoodItems += 1
        }
        for set in Set(record.matches.map(\.set)) { bySet[set, default: 0] += 1 }
    }

    /// The summary line's object.
    public func manifestJSON(finished: Timestamp, durationSeconds: Double, complete: Bool) -> JSONValue {
        func counts<Key>(_ values: [Key: Int], _ name: (Key) -> String) -> JSONValue {
            .object(values.map { (name($0.key), JSONValue.int(Int64($0.value))) }.sorted { $0.0 < $1.0 })
        }
        var object = JSONObjectBuilder()
        object.add("record", "summary")
        object.add("finished", finished.rfc3339)
        object.add("duration_s", .double(durationSeconds))
        object.add("complete", complete)
        object.add("items", items)
        object.add("bytes", bytes)
        object.add("member_bytes", memberBytes)
        object.add("by_status", counts(byStatus) { $0.rawValue })
        var matches = JSONObjectBuilder()
        matches.add("known-bad", knownBadItems)
        matches.add("known-good", knownGoodItems)
        if knownBadNotAlertingItems > 0 { matches.add("known-bad-not-alerting", knownBadNotAlertingItems) }
        matches.add("by_set", counts(bySet) { $0 })
        matches.add("by_category", counts(byCategory) { $0 })
        object.add("matches", matches.value)
        object.add("extension_mismatches", extensionMismatches)
        object.add("plugin_errors", pluginErrors)
        object.add("limits_hit", counts(limitsHit) { $0 })
        if let firstKnownBadSeconds { object.add("first_known_bad_s", .double(firstKnownBadSeconds)) }
        return object.value
    }
}
