import BlindfoldCore

/// A self-contained HTML report of a manifest for a prosecutor or a case file: the scan's
/// parameters and integrity digests, counts by status, type, known-bad set and category,
/// archive and limit statistics, with inline SVG bar charts.
///
/// It never contains an image, a thumbnail, a script or anything fetched from elsewhere (a
/// Content-Security-Policy of `default-src 'none'` enforces that in the browser), nor any file
/// content; the paths of known-bad hits appear only when `includePaths` is set.
public struct HTMLReport: ManifestExporter {
    private let manifestSHA256: String
    private let includePaths: Bool
    private var header: ScanHeader?
    private var byStatus: [String: Int] = [:]
    private var byType: [String: Int] = [:]
    private var bySet: [String: Int] = [:]
    private var byCategory: [String: Int] = [:]
    private var limits: [String: Int] = [:]
    private var containers = 0
    private var members = 0
    private var memberBytes: Int64 = 0
    private var items = 0
    private var knownBad = 0
    private var knownGood = 0
    private var hits: [(path: String, sets: String)] = []
    /// Items with a value under each output key, and items with an error per plugin.
    private var valuesByKey: [String: Int] = [:]
    private var errorsByPlugin: [String: Int] = [:]

    /// A report; `manifestSHA256` is the digest the report cites for the manifest.
    public init(manifestSHA256: String, includePaths: Bool) {
        self.manifestSHA256 = manifestSHA256
        self.includePaths = includePaths
    }

    public mutating func begin(header: ScanHeader) -> String {
        self.header = header
        return ""
    }

    public mutating func item(_ record: ItemRecord) -> String {
        items += 1
        for output in record.hashes { valuesByKey[output.key, default: 0] += 1 }
        for error in record.pluginErrors { errorsByPlugin[error.plugin, default: 0] += 1 }
        byStatus[record.status.rawValue, default: 0] += 1
        if let mime = record.mime { byType[mime, default: 0] += 1 }
        if record.status == .limit, let reason = record.reason {
            limits[String(reason.prefix { $0 != ":" }), default: 0] += 1
        }
        if let container = record.container {
            containers += 1
            if record.path.layers.isEmpty { memberBytes += container.memberBytes }
        }
        if !record.path.layers.isEmpty { members += 1 }
        let bad = record.matches.filter { $0.role == .knownBad }
        if !bad.isEmpty {
            knownBad += 1
            for category in Set(bad.map { $0.category ?? "uncategorised" }) { byCategory[category, default: 0] += 1 }
            for set in Set(bad.map(\.set)) { bySet[set, default: 0] += 1 }
            if includePaths {
                hits.append((record.displayPath, Array(Set(bad.map(\.set))).sorted().joined(separator: ", ")))
            }
        } else if record.matches.contains(where: { $0.role == .knownGood }) {
            knownGood += 1
        }
        return ""
    }

    public mutating func end(summary: SummaryRecord) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Blindfold scan report</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#1d2430;padding:0 1em}
            h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccd}
            table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .8em;text-align:left;vertical-align:top;border-bottom:1px solid #eef}
            td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.9em;word-break:break-all}
            .notice{background:#eef3ff;padding:.6em 1em;border-left:4px solid #3366cc}
            .bad{color:#a1141c;font-weight:bold}.ok{color:#1d6b2d;font-weight:bold}
            svg text{font-size:12px;fill:#1d2430}
            </style></head><body>
            <h1>Blindfold scan report</h1>
            <p class="notice">Counts and digests only: this report contains no picture, preview or file content.
            File names of known-bad items are \(includePaths ? "listed at the end" : "not included (see the manifest, or run the report with --include-paths)").</p>

            """
        let complete = summary.complete
        html += "<p>\(knownBad > 0 ? "<span class=\"bad\">\(knownBad) item(s) matched a known-bad set.</span>" : "<span class=\"ok\">No item matched a known-bad set.</span>") "
        html += complete ? "The scan is complete.</p>\n" : "<span class=\"bad\">The scan is incomplete.</span></p>\n"

        html += "<h2>Scan</h2>\n<table>\n"
        html += row("Tool", "\(header?.tool.name ?? "") \(header?.tool.version ?? "")")
        html += row("Started", header?.started.rfc3339 ?? "")
        html += row("Finished", summary.finished.rfc3339)
        html += row("Duration", "\(JSONValue.double(summary.durationSeconds).serialized) s")
        for (index, root) in (header?.roots ?? []).enumerated() { html += row("Root \(index)", root, code: true) }
        html += row("Plugins", (header?.plugins ?? []).map { "\($0.id) \($0.version)" }.joined(separator: ", "))
        for plugin in header?.plugins ?? [] {
            guard case .object(let external)? = plugin.external else { continue }
            let path = external.first { $0.key == "path" }?.value
            let digest = external.first { $0.key == "sha256" }?.value
            if case .string(let path)? = path { html += row("External plugin \(plugin.id)", path, code: true) }
            if case .string(let digest)? = digest { html += row("SHA-256 of \(plugin.id)", digest, code: true) }
        }
        for option in (header?.options ?? []).sorted(by: { $0.key < $1.key }) {
            html += row("Option \(option.key)", Self.display(option.value))
        }
        for limit in (header?.limits ?? []).sorted(by: { $0.name < $1.name }) {
            html += row("Limit \(limit.name)", String(limit.value))
        }
        html += "</table>\n<h2>Integrity</h2>\n<table>\n"
        html += row("Manifest SHA-256", manifestSHA256, code: true)
        html += "</table>\n"
        let sets = header?.hashSets ?? []
        if !sets.isEmpty {
            html += "<table><tr><th>Hash set</th><th>Role</th><th>Format</th><th>Entries</th><th>SHA-256 of the set file</th></tr>\n"
            for set in sets {
                html += "<tr><td>\(escape(set.name))</td><td>\(escape(set.role.rawValue))</td><td>\(escape(set.format))</td>"
                html += "<td class=\"n\">\(set.entries)</td><td><code>\(escape(set.sha256))</code></td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "<h2>Items by status</h2>\n<p>\(items) items, \(summary.tallies.bytes) bytes read.</p>\n"
        html += chart(byStatus, label: "Items by status")
        html += "<h2>Known-bad matches</h2>\n<p>\(knownBad) known-bad item(s); \(knownGood) known-good item(s).</p>\n"
        if !bySet.isEmpty { html += "<h3>By set</h3>\n" + chart(bySet, label: "Known-bad items by set") }
        if !byCategory.isEmpty { html += "<h3>By category</h3>\n" + chart(byCategory, label: "Known-bad items by category") }
        html += "<h2>Plugin outputs</h2>\n" + chart(valuesByKey, label: "Items with a value, by output key")
        if !errorsByPlugin.isEmpty { html += "<h3>Plugin errors</h3>\n" + chart(errorsByPlugin, label: "Items with a plugin error, by plugin") }
        html += "<h2>Types</h2>\n" + chart(byType, label: "Items by detected type", top: 15)
        html += "<h2>Archives and limits</h2>\n<table>\n"
        html += row("Containers opened", "\(containers)")
        html += row("Archive members", "\(members)")
        html += row("Bytes produced by members", "\(memberBytes)")
        html += "</table>\n"
        html += limits.isEmpty ? "<p>No limit was hit.</p>\n" : chart(limits, label: "Items stopped by a limit")
        if includePaths && !hits.isEmpty {
            html += "<h2>Known-bad items</h2>\n<table><tr><th>Path</th><th>Sets</th></tr>\n"
            for hit in hits { html += "<tr><td><code>\(escape(hit.path))</code></td><td>\(escape(hit.sets))</td></tr>\n" }
            html += "</table>\n"
        }
        return html + "</body></html>\n"
    }

    private func row(_ name: String, _ value: String, code: Bool = false) -> String {
        "<tr><th>\(escape(name))</th><td>\(code ? "<code>" : "")\(escape(value))\(code ? "</code>" : "")</td></tr>\n"
    }

    /// A horizontal bar chart in inline SVG, largest first.
    private func chart(_ counts: [String: Int], label: String, top: Int = 50) -> String {
        let bars = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
        guard let largest = bars.first?.value, largest > 0 else { return "<p>None.</p>\n" }
        let rowHeight = 22
        var svg = "<svg role=\"img\" aria-label=\"\(escape(label))\" width=\"720\" height=\"\(bars.count * rowHeight + 4)\">\n"
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight
            let width = max(1, Int(Double(bar.value) / Double(largest) * 380))
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(escape(String(bar.key.prefix(40))))</text>"
            svg += "<rect x=\"260\" y=\"\(y + 3)\" width=\"\(width)\" height=\"16\" fill=\"#3366cc\"/>"
            svg += "<text x=\"\(266 + width)\" y=\"\(y + 15)\">\(bar.value)</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// An option's value as text: numbers and strings as they are, lists comma-separated.
    static func display(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .array(let elements): elements.map(display).joined(separator: ", ")
        default: value.serialized
        }
    }

    private func escape(_ value: String) -> String {
        var output = ""
        for character in value {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default:
                // Controls and bidirectional overrides are shown as escapes, never obeyed.
                output += character.unicodeScalars.contains(where: TerminalText.isUnsafe)
                    ? TerminalText.escaping(String(character)) : String(character)
            }
        }
        return output
    }
}
