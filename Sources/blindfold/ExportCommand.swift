import ArgumentParser
import Manifest

/// `blindfold export`: the manifest in the formats other tools read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a manifest as CSV or DFXML (reads the manifest only, never the evidence).",
        discussion: "Formats and columns: docs/EXPORTS.md. VICS and CASE/UCO are not built yet."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
        case dfxml
    }

    @Argument(help: ArgumentHelp("The manifest.jsonl to export.", valueName: "manifest"))
    var manifest: String

    @Option(name: .long, help: ArgumentHelp("csv or dfxml.", valueName: "format"))
    var format: Format

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The file to write (replaced atomically).", valueName: "file"))
    var output: String

    func run() throws {
        try Self.export(manifest, as: format, to: output)
    }

    /// Writes `manifest` in `format` to `output`.
    static func export(_ manifest: String, as format: Format, to output: String) throws {
        do {
            switch format {
            case .csv:
                var exporter = CSVExporter()
                try ManifestExport.run(manifest: manifest, output: output, exporter: &exporter)
            case .dfxml:
                var exporter = DFXMLExporter()
                try ManifestExport.run(manifest: manifest, output: output, exporter: &exporter)
            }
        } catch {
            throw CommandLineError("export: \(error)")
        }
    }
}
