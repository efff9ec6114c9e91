import ArgumentParser
import Manifest

/// `blindfold export`: the manifest in the formats other tools read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a manifest as CSV, DFXML or VICS JSON (reads the manifest only, never the evidence).",
        discussion: "Formats and columns: docs/EXPORTS.md. CASE/UCO is not built yet."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
        case dfxml
        case vics
    }

    @Argument(help: ArgumentHelp("The manifest.jsonl to export.", valueName: "manifest"))
    var manifest: String

    @Option(name: .long, help: ArgumentHelp("csv, dfxml or vics.", valueName: "format"))
    var format: Format

    @Flag(name: .customLong("vics-only-matches"), help: "VICS: only the items with a known-bad match, for sharing.")
    var vicsOnlyMatches = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The file to write (replaced atomically).", valueName: "file"))
    var output: String

    func run() throws {
        try Self.export(manifest, as: format, to: output, vicsOnlyMatches: vicsOnlyMatches)
    }

    /// Writes `manifest` in `format` to `output`.
    static func export(_ manifest: String, as format: Format, to output: String, vicsOnlyMatches: Bool = false) throws {
        do {
            switch format {
            case .csv:
                var exporter = CSVExporter()
                try ManifestExport.run(manifest: manifest, output: output, exporter: &exporter)
            case .dfxml:
                var exporter = DFXMLExporter()
                try ManifestExport.run(manifest: manifest, output: output, exporter: &exporter)
            case .vics:
                var exporter = VICSExporter(onlyMatches: vicsOnlyMatches)
                try ManifestExport.run(manifest: manifest, output: output, exporter: &exporter)
            }
        } catch {
            throw CommandLineError("export: \(error)")
        }
    }
}
