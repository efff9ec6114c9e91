import BlindfoldCore
import Foundation
import Signals

/// One row per item, RFC 4180 (CRLF line ends, fields with commas, quotes or line breaks
/// quoted, quotes doubled). Text that a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, so a hostile file name stays text.
/// Columns: docs/EXPORTS.md; each signal's columns (PDQ's `pdq`, `pdq_quality`, `pdq_distance`)
/// come from the signal catalog, after the fixed ones.
public struct CSVExporter: ManifestExporter {
    static let fixedColumns = [
        "root", "path", "members", "kind", "size", "mtime", "mime", "extension_mismatch", "md5", "sha1", "sha256",
        "known_bad_sets", "known_good_sets", "categories", "status", "reason", "path_b64",
    ]
    private let signalColumns: [SignalColumn]
    /// The external plugins' output keys, from the header (one column each, after the signals').
    private var externalKeys: [String] = []

    /// An exporter with the columns of `signals`.
    public init(signals: SignalCatalog = .builtIn) { signalColumns = signals.csvColumns }

    public mutating func begin(header: ScanHeader) -> String {
        externalKeys = header.externalOutputKeys
        return Self.row(Self.fixedColumns + signalColumns.map(\.name) + externalKeys)
    }

    public mutating func item(_ record: ItemRecord) -> String {
        func hash(_ key: String) -> String {
            if case .hex(let value) = record.hash(key) { return value }
            return ""
        }
        func sets(_ role: HashSetRole) -> String {
            Array(Set(record.matches.filter { $0.role == role }.map(\.set))).sorted().joined(separator: ";")
        }
        let categories = Array(Set(record.matches.filter { $0.role == .knownBad }.map { $0.category ?? "uncategorised" }))
            .sorted().joined(separator: ";")
        return Self.row([
            String(record.path.rootIndex), Self.text(record.path.relative.escaped),
            Self.text(record.path.layers.map(\.member.escaped).joined(separator: "/")), record.kind.rawValue,
            record.size.map(String.init) ?? "", record.mtime?.rfc3339 ?? "", Self.text(record.mime ?? ""),
            record.extensionMismatch.map { $0 ? "true" : "false" } ?? "", hash("md5"), hash("sha1"), hash("sha256"),
            Self.text(sets(.knownBad)), Self.text(sets(.knownGood)), Self.text(categories), record.status.rawValue,
            Self.text(record.reason ?? ""), record.path.relative.isValidUTF8 ? "" : record.path.relative.base64,
        ] + signalColumns.map { $0.value(record) } + externalKeys.map { key in
            switch record.hash(key) {
            case .hex(let value)?: Self.text(value)
            case .integer(let number)?: String(number)
            default: ""
            }
        })
    }

    public mutating func end(summary: SummaryRecord) -> String { "" }

    /// Neutralises spreadsheet formulas: text whose first character, after any leading white
    /// space, starts a formula (`=`, `+`, `-`, `@`, tab, carriage return, or their fullwidth
    /// forms, which spreadsheets also read as operators) gets a leading apostrophe.
    static func text(_ value: String) -> String {
        let first = value.unicodeScalars.first { !Self.leadingSpace.contains($0) }
        guard let first, Self.formulaStarts.contains(first) else { return value }
        return "'" + value
    }

    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]
    private static let leadingSpace: Set<Unicode.Scalar> = [" ", "\u{A0}", "\u{3000}"]

    static func row(_ fields: [String]) -> String {
        fields.map { field in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
