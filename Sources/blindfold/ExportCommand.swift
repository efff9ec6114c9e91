import ArgumentParser
import Manifest

/// `blindfold export`: the manifest in the formats other tools read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a manifest as CSV, DFXML, VICS JSON or CASE/UCO JSON-LD (reads the manifest only).",
        discussion: "Formats and columns: docs/EXPORTS.md."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
        case dfxml
        case vics
        case caseUCO = "case"
    }

    @Argument(help: ArgumentHelp("The manifest.jsonl to export.", valueName: "manifest"))
    var manifest: String

    @Option(name: .long, help: ArgumentHelp("csv, dfxml, vics or case.", valueName: "format"))
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
            case .caseUCO:
                var exporter = CASEExporter()
                try ManifestExport.run(manifest: manifest, output: output, exporter: &exporter)
            }
        } catch {
            throw CommandLineError("export: \(error)")
        }
    }
}
