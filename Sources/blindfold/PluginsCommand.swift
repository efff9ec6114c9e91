import ArgumentParser
import BlindfoldCore

/// `blindfold plugins`: what the hash plugins are and what they accept.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the hash plugins: id, version, input mode and the items they accept."
    )

    func run() throws {
        let registry = try PluginCatalog.registry(PluginCatalog.Selection(phash: true))
        let rows = registry.descriptors.map { descriptor in
            [
                descriptor.id, descriptor.version, descriptor.inputMode.rawValue, descriptor.accepts.description,
                descriptor.sizeCap.map { "\($0) bytes" } ?? "none", descriptor.outputKeys.joined(separator: ","),
                descriptor.options.isEmpty ? "-" : descriptor.options.map { "--" + $0.flag }.joined(separator: ","),
                descriptor.summary,
            ]
        }
        print(TextTable.render(
            header: ["ID", "VERSION", "MODE", "ACCEPTS", "SIZE CAP", "WRITES", "OPTIONS", "SUMMARY"], rows: rows))
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
