import ArgumentParser
import BlindfoldCore
import BuildInfo
import Foundation
import Manifest
import Scanner

/// `blindfold version` (and `blindfold --version`): the tool's version, the commit and
/// toolchain it was built from, the version of every C library it runs with and the libmagic
/// database it loads; in a portable release also the shared libraries shipped with it. The
/// manifest header's `build` records the same.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version, the build's commit, the libraries' versions and the libmagic database."
    )

    @Flag(name: .customLong("json"), help: "One JSON object: the tool's name and version and the manifest header's `build`.")
    var json = false

    func run() throws {
        print(json ? Self.jsonReport() : Self.textReport())
    }

    /// `{"name":"blindfold","version":…,"build":{…}}`.
    static func jsonReport() -> String {
        var object = JSONObjectBuilder()
        object.add("name", "blindfold")
        object.add("version", BlindfoldCommand.version)
        object.add("build", BuildInfo.current.headerJSON)
        return object.value.serialized
    }

    /// The human-readable report: one `name  value` line each.
    static func textReport() -> String {
        let build = BuildInfo.current
        var rows: [[String]] = [
            ["blindfold", BlindfoldCommand.version],
            ["commit", build.commit],
            ["toolchain", build.toolchain],
        ]
        rows += build.libraries.map { [$0.name, $0.version] }
        let database = build.magicDatabase
        rows.append(["magic database", "\(database.source) (\(database.files.count) file\(database.files.count == 1 ? "" : "s"))"])
        rows += database.files.map { ["  " + $0.name, "sha256 " + ($0.sha256 ?? "unreadable")] }
        var report = TextTable.render(header: ["", ""], rows: rows).split(separator: "\n").dropFirst().joined(separator: "\n")
        if let shipped = shippedLibraries() {
            report += "\nshipped shared libraries (lib/, from Debian packages):\n" + shipped
        }
        return report
    }

    /// The release's `LIBRARIES` list (library, Debian package, version) beside `bin/`, when
    /// this binary runs from a portable release.
    static func shippedLibraries() -> String? {
        guard let root = SelfExecutable.current.releaseRoot,
              let text = try? String(contentsOfFile: root + "/LIBRARIES", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }
}
