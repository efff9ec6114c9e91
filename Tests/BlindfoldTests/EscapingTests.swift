import BlindfoldCore
import Foundation
@testable import Manifest
import Testing

/// Names are the attacker's bytes: what reaches a terminal, a report or a spreadsheet is escaped.
@Suite("Escaping names on terminals, reports and spreadsheets")
struct EscapingTests {
    @Test("controls, C1 and bidirectional overrides become visible escapes; other text is kept")
    func terminalText() {
        #expect(TerminalText.escaping("a\u{1B}]0;x\u{07}b\r\nc\u{202E}d\u{85}é") == "a\\u{1B}]0;x\\u{7}b\\u{D}\\u{A}c\\u{202E}d\\u{85}é")
        #expect(TerminalText.escaping("plain/ünïcode name.jpg") == "plain/ünïcode name.jpg")
        #expect(TerminalText.escaping("\u{2066}x\u{2069}\u{7F}") == "\\u{2066}x\\u{2069}\\u{7F}")
    }

    @Test("the CSV guard catches formulas after leading spaces and in fullwidth forms", arguments: [
        ("=1+1", "'=1+1"), (" =1", "' =1"), ("\u{3000}+1", "'\u{3000}+1"), ("\u{FF1D}SUM(A1)", "'\u{FF1D}SUM(A1)"),
        ("\u{FF0B}1", "'\u{FF0B}1"), ("@x", "'@x"), ("-2", "'-2"), ("\tx", "'\tx"), ("a=1", "a=1"), ("photo.jpg", "photo.jpg"),
    ])
    func csvGuard(value: String, expected: String) {
        #expect(CSVExporter.text(value) == expected)
    }

    @Test("triage --show-paths, verify and the HTML report never pass a name's control or bidi characters through")
    func hostileNamesEndToEnd() throws {
        let workspace = try TemporaryDirectory("escaping")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let names = ["bidi\u{202E}gpj.exe", "osc\u{1B}]0;owned\u{07}.jpg", "forged\r\nknown-bad: 0.jpg"]
        for (index, name) in names.enumerated() {
            try Data("hostile name \(index)\n".utf8).write(to: root.appendingPathComponent(name))
        }
        let digests = try Oracle.sha256(names.indices.map { Array("hostile name \($0)\n".utf8) })
        let set = workspace.child("bad.sha256")
        try Data(digests.map { "\($0)  x\n" }.joined().utf8).write(to: set)

        let triage = try ProcessRunner.blindfold([
            "triage", root.path, "--out", workspace.child("t").path, "--known-bad", set.path, "--show-paths", "--budget", "60s",
        ])
        #expect(triage.exitCode == 1, "\(triage.stderr)")
        for output in [triage.stdoutData, triage.stderrData] {
            #expect(!output.contains(0x1B) && !output.contains(0x07) && !output.contains(0x0D))
            #expect(!String(decoding: output, as: UTF8.self).unicodeScalars.contains("\u{202E}"))
        }
        #expect(triage.stdout.contains("bidi\\u{202E}gpj.exe"))
        #expect(triage.stdout.contains("forged\\u{D}\\u{A}known-bad"))

        let html = workspace.child("report.html")
        let report = try ProcessRunner.blindfold([
            "report", workspace.child("t").path + "/manifest.jsonl", "-o", html.path, "--include-paths",
        ])
        #expect(report.exitCode == 0, "\(report.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(!page.unicodeScalars.contains("\u{202E}") && !page.unicodeScalars.contains("\u{1B}"))
        #expect(page.contains("bidi\\u{202E}gpj.exe"))
    }
}
