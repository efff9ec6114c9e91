import ArgumentParser
import BlindfoldCore
import KnownHashes

extension HashSetCommand {
    /// `blindfold hashset import`: any supported set → a `.bfhs` index.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Read a hash set in any supported format and write it as a .bfhs index.",
            discussion: """
                Formats (detected from the content unless --format is given): sum (md5sum, \
                sha1sum, sha256sum, md5deep), hashdeep, nsrl-sqlite (RDSv3, full or minimal), \
                nsrl-text (RDS 2.x NSRLFile.txt), vics (VICS JSON 1.x/2.0), caid (CAID VICS \
                JSON), pdq (PDQ lists). The index is written under a temporary name and renamed \
                when complete: a failed import leaves nothing behind.
                """
        )

        @Argument(help: ArgumentHelp("The set file to import.", valueName: "source"))
        var source: String

        @Option(name: .long, help: ArgumentHelp("The set's name, as matches cite it.", valueName: "name"))
        var name: String

        @Option(name: .long, help: ArgumentHelp("known-good or known-bad.", valueName: "role"))
        var role: HashSetRole

        @Option(name: .long, help: ArgumentHelp("The source format, instead of detecting it: \(HashSetFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
        var format: HashSetFormat?

        @Option(name: .customLong("vics-alert"), help: ArgumentHelp("For a known-bad VICS/CAID set: the categories that alert when the index is scanned, comma-separated ('uncategorised' for none); every entry is kept.", valueName: "categories"))
        var vicsAlert: String = "1"

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The index file to write (.bfhs).", valueName: "file"))
        var output: String

        func validate() throws {
            guard !name.isEmpty else { throw ValidationError("--name must not be empty") }
        }

        func run() throws {
            let summary: HashSetImporter.Summary
            do {
                summary = try HashSetImporter.run(
                    source: source, name: name, role: role, format: format,
                    vicsAlertCategories: HashSetArguments.alertCategories(vicsAlert) ?? HashSetLoader.defaultAlertCategories,
                    output: output, toolVersion: BlindfoldCommand.version)
            } catch {
                throw CommandLineError("hashset import: \(error)")
            }
            let counts = summary.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("\(output): \(summary.metadata.sourceEntries) entries from \(summary.metadata.sourceFormat) (\(counts.isEmpty ? "nothing to match" : counts))")
        }
    }
}
