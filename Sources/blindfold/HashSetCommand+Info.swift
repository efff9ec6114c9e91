import ArgumentParser
import BlindfoldCore
import KnownHashes

extension HashSetCommand {
    /// `blindfold hashset info`: what an index holds and where it came from.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Check a .bfhs index and print its name, role, source, counts and categories."
        )

        @Argument(help: ArgumentHelp("The index file.", valueName: "index"))
        var index: String

        func run() throws {
            let file: IndexFile
            do { file = try IndexFile(path: index) } catch { throw CommandLineError("hashset info: \(error)") }
            let metadata = file.metadata
            var lines = [
                "name: \(metadata.name)",
                "role: \(metadata.role.rawValue)",
                "source: \(metadata.sourceName)",
                "source format: \(metadata.sourceFormat)",
                "source sha256: \(metadata.sourceSHA256)",
                "source entries: \(metadata.sourceEntries)",
            ]
            if let version = metadata.sourceVersion { lines.append("source version: \(version)") }
            if let alert = metadata.alertCategories { lines.append("alert categories: \(alert.joined(separator: ","))") }
            for (algorithm, count) in file.counts.sorted(by: { $0.key < $1.key }) { lines.append("\(algorithm): \(count)") }
            let categories = file.categoryCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("categories: \(categories.joined(separator: ", "))")
            lines.append("created: \(metadata.created)")
            lines.append("tool: \(metadata.tool)")
            lines.append("index bytes: \(file.fileSize)")
            lines.append("index sha256 (body, checked): \(file.bodySHA256)")
            print(lines.joined(separator: "\n"))
        }
    }
}
