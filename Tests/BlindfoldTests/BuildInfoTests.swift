import Foundation
import Testing
@testable import BlindfoldCore
@testable import Evidence

/// `blindfold version`, the manifest header's `build`, and how the binary finds itself and its
/// libmagic database (issue #19).
@Suite("Build information")
struct BuildInfoTests {
    @Test("started normally, copies start through /proc/self/exe; through the loader, the loader gets the binary")
    func selfExecutable() throws {
        let direct = SelfExecutable.resolve(procExe: "/opt/x/blindfold/bin/blindfold", argument0: "blindfold")
        #expect(direct.path == "/proc/self/exe")
        #expect(direct.loaderArguments.isEmpty)
        #expect(direct.argv("blindfold", ["worker"]) == ["blindfold", "worker"])
        #expect(direct.releaseRoot == "/opt/x/blindfold")

        let binary = try #require(SelfExecutable.realPath("/bin/sh"))
        let loaded = SelfExecutable.resolve(procExe: "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", argument0: "/bin/sh")
        #expect(loaded.path == "/proc/self/exe")
        #expect(loaded.binaryPath == binary)
        #expect(loaded.argv("blindfold", ["worker", "--parent", "1"]) == ["blindfold", binary, "worker", "--parent", "1"])
        #expect(SelfExecutable.isDynamicLoader("/lib64/ld-linux-x86-64.so.2"))
        #expect(!SelfExecutable.isDynamicLoader("/usr/bin/blindfold"))
        #expect(SelfExecutable(path: "/proc/self/exe", loaderArguments: [], binaryPath: "/blindfold").releaseRoot == nil)
    }

    @Test("the release's own database wins over $MAGIC, $MAGIC over the system's")
    func magicDatabaseChoice() throws {
        let release = try TemporaryDirectory("magic-release")
        defer { release.remove() }
        try FileManager.default.createDirectory(at: release.child("share/blindfold"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: release.child("share/blindfold/magic.mgc").path, contents: Data([1]))

        let bundled = MagicDatabase.resolve(releaseRoot: release.path, environment: "/elsewhere/magic.mgc")
        #expect(bundled.source == .bundle)
        #expect(bundled.loadPath == release.path + "/share/blindfold/magic.mgc")
        #expect(bundled.files == [release.path + "/share/blindfold/magic.mgc"])
        let environment = MagicDatabase.resolve(releaseRoot: "/nonexistent", environment: "/elsewhere/magic.mgc")
        #expect(environment.source == .environment && environment.loadPath == "/elsewhere/magic.mgc")
        let system = MagicDatabase.resolve(releaseRoot: nil, environment: nil)
        #expect(system.source == .system && system.loadPath == nil)
        #expect(system.files.contains { $0.hasSuffix(".mgc") }, "the system's compiled database")
    }

    @Test("`version --json` names the commit, every library and the database; $MAGIC is recorded, not silent")
    func versionReport() throws {
        let plain = try ProcessRunner.blindfold(["version", "--json"])
        #expect(plain.exitCode == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: plain.stdoutData) as? [String: Any])
        #expect(object["name"] as? String == "blindfold")
        let build = try #require(object["build"] as? [String: Any])
        #expect(build["commit"] is String && build["toolchain"] is String)
        let libraries = try #require(build["libraries"] as? [String: String])
        #expect(Set(libraries.keys) == ["libarchive", "libmagic", "libjpeg-turbo", "libpng", "libwebp", "giflib", "libtiff", "libheif", "sqlite"])
        #expect(libraries.values.allSatisfy { $0 != "unknown" && !$0.isEmpty && !$0.contains("\n") })
        let database = try #require(build["magic_database"] as? [String: Any])
        #expect(database["source"] as? String == "system")

        let mgc = try #require(MagicDatabase.resolve(releaseRoot: nil, environment: nil).files.first { $0.hasSuffix(".mgc") })
        var environment = ProcessInfo.processInfo.environment
        environment["MAGIC"] = mgc
        let overridden = try ProcessRunner.blindfold(["version", "--json"], environment: environment)
        let overriddenObject = try #require(try JSONSerialization.jsonObject(with: overridden.stdoutData) as? [String: Any])
        let overriddenDatabase = (overriddenObject["build"] as? [String: Any])?["magic_database"] as? [String: Any]
        #expect(overriddenDatabase?["source"] as? String == "environment")

        let text = try ProcessRunner.blindfold(["--version"])
        #expect(text.exitCode == 0)
        #expect(text.stdout.hasPrefix("blindfold "))
        #expect(text.stdout.contains("libheif") && text.stdout.contains("magic database"))
    }
}
