import BlindfoldCore

/// The summary line read back: when and how the scan ended, and its tallies.
public struct SummaryRecord: Sendable, Hashable {
    /// When the scan ended.
    public var finished: Timestamp
    /// Wall-clock seconds.
    public var durationSeconds: Double
    /// False when interrupted or when output failed.
    public var complete: Bool
    /// The counts.
    public var tallies: ScanSummary
    /// Fields of the line this version does not know.
    public var preserved = PreservedFields()

    /// A summary from its parts.
    public init(finished: Timestamp, durationSeconds: Double, complete: Bool, tallies: ScanSummary) {
        self.finished = finished
        self.durationSeconds = durationSeconds
        self.complete = complete
        self.tallies = tallies
    }

    /// The line's object again.
    public var manifestJSON: JSONValue {
        preserved.merged(into: tallies.manifestJSON(finished: finished, durationSeconds: durationSeconds, complete: complete))
    }

    /// Reads a summary line's object back.
    public init(manifestJSON value: JSONValue) throws(ManifestReadError) {
        var reader = try JSONObjectReader(value, what: "summary")
        guard try reader.string("record") == "summary" else { throw reader.invalid("record", "is not 'summary'") }
        let finishedText = try reader.required("finished", reader.string("finished"))
        let finished = try reader.required("finished", Timestamp(rfc3339: finishedText))
        let duration = try reader.required("duration_s", reader.double("duration_s"))
        let complete = try reader.required("complete", reader.bool("complete"))
        var tallies = ScanSummary()
        tallies.items = Int(try reader.int("items") ?? 0)
        tallies.bytes = try reader.int("bytes") ?? 0
        tallies.memberBytes = try reader.int("member_bytes") ?? 0
        for (name, count) in try Self.counts(&reader, "by_status") {
            tallies.byStatus[try reader.required("by_status", ItemStatus(rawValue: name))] = count
        }
        if var matches = try reader.object("matches") {
            tallies.knownBadItems = Int(try matches.int("known-bad") ?? 0)
            tallies.knownGoodItems = Int(try matches.int("known-good") ?? 0)
            tallies.knownBadNotAlertingItems = Int(try matches.int("known-bad-not-alerting") ?? 0)
            tallies.bySet = Dictionary(try Self.counts(&matches, "by_set"), uniquingKeysWith: +)
            tallies.byCategory = Dictionary(try Self.counts(&matches, "by_category"), uniquingKeysWith: +)
        }
        tallies.extensionMismatches = Int(try reader.int("extension_mismatches") ?? 0)
        tallies.pluginErrors = Int(try reader.int("plugin_errors") ?? 0)
        tallies.limitsHit = Dictionary(try Self.counts(&reader, "limits_hit"), uniquingKeysWith: +)
        tallies.firstKnownBadSeconds = try reader.double("first_known_bad_s")
        self.init(finished: finished, durationSeconds: duration, complete: complete, tallies: tallies)
        preserved = reader.preserved
    }

    /// The name → count members of the object under `key`, in order.
    private static func counts(_ reader: inout JSONObjectReader, _ key: String) throws(ManifestReadError) -> [(String, Int)] {
        var result: [(String, Int)] = []
        for member in try reader.members(key) ?? [] {
            guard case .int(let count) = member.value else { throw reader.invalid(key, "holds a count that is not an integer") }
            result.append((member.key, Int(count)))
        }
        return result
    }
}
