import ArgumentParser
import Manifest

/// `blindfold report`: one self-contained HTML page about a scan, without any content.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a manifest: parameters, digests, counts, charts; never content."
    )

    @Argument(help: ArgumentHelp("The manifest.jsonl to report on.", valueName: "manifest"))
    var manifest: String

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The HTML file to write.", valueName: "file"))
    var output: String

    @Flag(name: .customLong("include-paths"), help: "List the paths of known-bad items (default: counts only).")
    var includePaths = false

    func run() throws {
        let digest = try VerifyCommand.sha256(of: manifest)
        var report = HTMLReport(manifestSHA256: digest, includePaths: includePaths)
        do {
            try ManifestExport.run(manifest: manifest, output: output, exporter: &report)
        } catch {
            throw CommandLineError("report: \(error)")
        }
    }
}
