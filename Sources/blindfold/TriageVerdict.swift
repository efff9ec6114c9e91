import BlindfoldCore
import Foundation
import Manifest
import Scanner

/// The one screen a triage ends with: the answer, coverage, and how it ended.
struct TriageVerdict {
    let outcome: ScanOutcome
    let budget: TimeBudget
    let manifestPath: String
    let hits: [String]
    /// Names of the known-bad sets (the summary's per-set counts include known-good sets).
    let knownBadSets: Set<String>

    var text: String {
        let summary = outcome.summary
        let coverage = outcome.coverage
        var lines: [String] = []
        if summary.knownBadItems > 0 {
            lines.append("blindfold triage: KNOWN-BAD MATERIAL FOUND: \(summary.knownBadItems) item(s)")
            let sets = summary.bySet.filter { knownBadSets.contains($0.key) }.sorted { $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }
            lines.append("  by set:       \(sets.joined(separator: ", "))")
            let categories = summary.byCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  by category:  \(categories.joined(separator: ", "))")
            if let first = summary.firstKnownBadSeconds {
                lines.append("  first hit:    after \((first * 100).rounded() / 100) s")
            }
        } else {
            lines.append("blindfold triage: no known-bad match in what was examined")
        }
        lines.append(
            "  coverage:     \(coverage.examined) of \(coverage.found) items (\(Self.percent(coverage.examined, coverage.found))), "
                + "media \(coverage.examinedMedia) of \(coverage.foundMedia) (\(Self.percent(coverage.examinedMedia, coverage.foundMedia))), "
                + "\(ByteCount.format(coverage.examinedBytes)) of \(ByteCount.format(coverage.foundBytes))")
        if summary.knownBadNotAlertingItems > 0 {
            lines.append("  categorised, not alerting: \(summary.knownBadNotAlertingItems) item(s) (--vics-alert)")
        }
        lines.append("  known-good:   \(summary.knownGoodItems) item(s)")
        let seconds = (outcome.durationSeconds * 10).rounded() / 10
        switch outcome.stoppedBy {
        case .budget: lines.append("  stopped:      the \(budget) budget ran out after \(seconds) s; the rest was not examined")
        case .signal: lines.append("  stopped:      interrupted after \(seconds) s; the rest was not examined")
        case nil: lines.append("  finished:     everything found was examined, in \(seconds) s")
        }
        lines.append("  manifest:     \(manifestPath)")
        if !hits.isEmpty {
            lines.append("  known-bad hits:")
            lines.append(contentsOf: hits.map { "    \($0)" })
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ part: Int64, _ whole: Int64) -> String {
        whole == 0 ? "100%" : "\(Int((Double(part) / Double(whole) * 100).rounded(.down)))%"
    }

    /// Paths (with their archive members) of the known-bad items in a manifest.
    static func knownBadPaths(in manifest: String) -> [String] {
        var paths: [String] = []
        try? ManifestReader.forEachLine(in: manifest) { _, line in
            guard case .item(let item)? = try? ManifestReader.line(line),
                item.record.matches.contains(where: { $0.role == .knownBad && $0.alerts })
            else { return }
            let path = item.record.path
            let parts = [path.relative.escaped] + path.layers.map(\.member.escaped)
            paths.append(TerminalText.escaping(parts.joined(separator: " » ")))
        }
        return paths
    }
}
