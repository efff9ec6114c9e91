import Foundation

/// Paths the tests need: the repository, its fixtures, the built `blindfold` binary.
enum TestEnvironment {
    /// The package root (three levels above this file).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Fixtures/`.
    static let fixtures = repository.appendingPathComponent("Fixtures")
    /// `Fixtures/evidence/`.
    static let evidence = fixtures.appendingPathComponent("evidence")
    /// `Fixtures/hashsets/`.
    static let hashsets = fixtures.appendingPathComponent("hashsets")

    /// The sentinel planted in fixture files; it must never appear in any output.
    static let sentinel: String = {
        (try? String(contentsOf: fixtures.appendingPathComponent("sentinel.txt"), encoding: .utf8))
            ?? "BLINDFOLD-SENTINEL-DO-NOT-EMIT"
    }()

    /// The `blindfold` executable built next to the test bundle.
    static let binary: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = runner.deletingLastPathComponent()
        // macOS runs tests from inside an .xctest bundle.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
            || directory.lastPathComponent == "Contents"
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("blindfold")
    }()

    /// The standard fixture scan's set arguments.
    static let fixtureSetArguments: [String] = [
        "--known-bad", hashsets.appendingPathComponent("known-bad.sha256").path,
        "--known-bad", hashsets.appendingPathComponent("known-bad.md5").path,
        "--known-bad", hashsets.appendingPathComponent("known-bad.pdq").path,
        "--known-good", hashsets.appendingPathComponent("known-good.hashdeep").path,
        "--known-good", hashsets.appendingPathComponent("known-good.sha1").path,
    ]
}

/// A fresh temporary directory, removed when the value is dropped... by the test calling `remove()`.
struct TemporaryDirectory {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "blindfold-test") throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func child(_ name: String) -> URL { url.appendingPathComponent(name) }

    func remove() {
        // Make everything removable first (tests create mode-000 files and folders).
        _ = try? ProcessRunner.run("/bin/chmod", ["-R", "u+rwx", path])
        try? FileManager.default.removeItem(at: url)
    }
}
