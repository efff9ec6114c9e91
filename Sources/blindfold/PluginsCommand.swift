import ArgumentParser
import BlindfoldCore
import ExternalPlugins

/// `blindfold plugins`: what the hash plugins are and what they accept.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the hash plugins: id, version, input mode and the items they accept.",
        discussion: """
            With --plugin PATH, starts that external plugin, reads its handshake and prints what \
            it declared (or the one-line reason it is refused, exit 2), then ends it. No item is \
            sent.
            """
    )

    @Option(name: .customLong("plugin"), help: ArgumentHelp("An external plugin to check (repeatable): its declaration after the handshake.", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        if !paths.isEmpty {
            let builtIn = try PluginCatalog.registry(PluginCatalog.Selection(phash: true))
            let plugins = try ExternalPluginArguments(paths: paths).load(besides: builtIn, itemTimeout: 30, memoryCap: 4 << 30)
            print(plugins.map(Self.declaration).joined(separator: "\n\n"))
            return
        }
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

extension PluginsCommand {
    /// What an external plugin declared, one field a line.
    static func declaration(_ plugin: ExternalPlugin) -> String {
        let host = plugin.host
        let declared = host.declaration
        return [
            "name:           \(declared.name)",
            "plugin_version: \(declared.pluginVersion)",
            "protocol:       blindfold-plugin/1",
            "path:           \(TerminalText.escaping(host.launch.path))",
            "sha256:         \(host.executableSHA256)",
            "outputs:        \(declared.outputs.map { "\($0.key) (\($0.kind.rawValue))" }.joined(separator: ", "))",
            "accepts:        \(declared.mime.joined(separator: ", "))",
            "max_bytes:      \(declared.maxBytes.map(String.init) ?? "no limit")",
        ].joined(separator: "\n")
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
