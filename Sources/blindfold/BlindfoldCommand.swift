import ArgumentParser

/// The `blindfold` command: finds known material by hash, without ever showing it.
struct BlindfoldCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "blindfold",
        abstract: "Find known material in seized media by hash, without ever showing it.",
        discussion: """
            Blindfold walks folders and mounted disk images read-only, identifies every item's \
            real type, hashes every byte once (MD5, SHA-1, SHA-256), matches the digests against \
            known-bad and known-good hash sets, and writes a JSON Lines manifest. The terminal \
            only ever shows counts: names and hashes go to the manifest, content goes nowhere.

            Exit codes: 0 scan complete, no known-bad match; 1 scan complete with at least one \
            known-bad match; 2 bad invocation or unusable input (nothing written); 3 scan \
            incomplete (interrupted or output failed; the manifest says complete: false).
            """,
        version: version,
        subcommands: [ScanCommand.self, TriageCommand.self, MergeCommand.self, ExportCommand.self, ReportCommand.self, VerifyCommand.self, HashSetCommand.self, PluginsCommand.self, VersionCommand.self, WorkerCommand.self]
    )
}
