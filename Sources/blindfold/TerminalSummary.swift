import BlindfoldCore
import Manifest
import Scanner

/// The few lines printed when a scan ends: counts only, no item names, no content.
struct TerminalSummary {
    let outcome: ScanOutcome
    let manifestPath: String

    var text: String {
        let summary = outcome.summary
        let seconds = (outcome.durationSeconds * 10).rounded() / 10
        var lines: [String] = []
        lines.append("blindfold: scan \(outcome.complete ? "complete" : "INCOMPLETE") in \(seconds) s")
        lines.append("  items:       \(summary.items) (\(ByteCount.format(summary.bytes)) read)")
        let statuses = ItemStatus.allCases.compactMap { status in
            summary.byStatus[status].map { "\(status.rawValue) \($0)" }
        }
        lines.append("  by status:   \(statuses.isEmpty ? "none" : statuses.joined(separator: ", "))")
        lines.append("  known-bad:   \(summary.knownBadItems) item(s) matched")
        if summary.knownBadNotAlertingItems > 0 {
            let categories = summary.byCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  known-bad in categories that do not alert: \(summary.knownBadNotAlertingItems) item(s) (by category: \(categories.joined(separator: ", ")))")
        }
        lines.append("  known-good:  \(summary.knownGoodItems) item(s) matched")
        if !summary.bySet.isEmpty {
            let sets = summary.bySet.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  by set:      \(sets.joined(separator: ", "))")
        }
        lines.append("  extension mismatches: \(summary.extensionMismatches)")
        if summary.pluginErrors > 0 { lines.append("  plugin errors: \(summary.pluginErrors) item(s)") }
        if let digest = outcome.manifestSHA256 {
            lines.append("  manifest:    \(manifestPath)")
            lines.append("  sha256:      \(digest)")
        }
        return lines.joined(separator: "\n")
    }
}
