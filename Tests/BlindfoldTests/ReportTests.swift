import Foundation
import Testing

/// The HTML report: self-contained, no pictures or scripts, no content, renders cleanly.
@Suite("HTML report")
struct ReportTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test("no image, script or outside reference; names only with --include-paths; no sentinel")
    func reportIsContentFree() throws {
        let workspace = try TemporaryDirectory("report")
        defer { workspace.remove() }
        let out = workspace.child("out")
        _ = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", out.path] + TestEnvironment.fixtureSetArguments)
        let plain = workspace.child("report.html").path
        #expect(try ProcessRunner.blindfold(["report", out.path + "/manifest.jsonl", "-o", plain]).exitCode == 0)
        let html = try String(contentsOfFile: plain, encoding: .utf8)
        for forbidden in ["<img", "<script", "<link", "<iframe", "<object", "src=", "href=", "url(", "http:", "https:", "data:"] {
            #expect(!html.lowercased().contains(forbidden), "\(forbidden) in the report")
        }
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("<svg"))
        #expect(html.contains("5 item(s) matched a known-bad set"))
        #expect(!html.contains("IMG_0001"), "no names by default")
        #expect(!html.contains(TestEnvironment.sentinel))
        let manifestDigest = try ProcessRunner.run("/usr/bin/env", ["sha256sum", out.path + "/manifest.jsonl"]).stdout.prefix(64)
        #expect(html.contains(String(manifestDigest)), "the report cites the manifest's digest")

        let withPaths = workspace.child("paths.html").path
        #expect(try ProcessRunner.blindfold(["report", out.path + "/manifest.jsonl", "-o", withPaths, "--include-paths"]).exitCode == 0)
        let listed = try String(contentsOfFile: withPaths, encoding: .utf8)
        #expect(listed.contains("DCIM/100CAMERA/IMG_0001.jpg"))
        #expect(!listed.contains("IMG_0002"), "only known-bad items are listed")
    }

    @Test("headless Chromium renders it without console errors or requests, and takes a screenshot",
          .enabled(if: chromium != nil, "chromium is not installed"))
    func rendersInChromium() throws {
        let workspace = try TemporaryDirectory("report-chromium")
        defer { workspace.remove() }
        let out = workspace.child("out")
        _ = try ProcessRunner.blindfold(["scan", TestEnvironment.evidence.path, "--out", out.path] + TestEnvironment.fixtureSetArguments)
        let html = workspace.child("report.html").path
        #expect(try ProcessRunner.blindfold(["report", out.path + "/manifest.jsonl", "-o", html, "--include-paths"]).exitCode == 0)
        let screenshot = workspace.child("report.png").path
        let result = try ProcessRunner.run(Self.chromium ?? "", [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(workspace.path)/profile", "--enable-logging=stderr", "--v=0",
            "--screenshot=\(screenshot)", "--window-size=1100,2400", "file://\(html)",
        ])
        #expect(result.exitCode == 0, "\(result.stderr.suffix(1500))")
        let consoleLines = result.stderrLines.filter { $0.contains("CONSOLE") || $0.contains("Refused to") }
        #expect(consoleLines.isEmpty, "\(consoleLines)")
        let attributes = try FileManager.default.attributesOfItem(atPath: screenshot)
        #expect((attributes[.size] as? NSNumber)?.intValue ?? 0 > 10_000, "a real screenshot was taken")
    }
}
