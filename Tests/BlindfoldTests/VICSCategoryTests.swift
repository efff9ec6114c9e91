import BlindfoldCore
import Foundation
import KnownHashes
import Testing

/// VICS categories (#13, finding 9): every categorised entry is matched and recorded with its
/// category; `--vics-alert` decides which ones are hits. Hand-written sets over the fixture tree.
@Suite("VICS categories kept, alerting by setting")
struct VICSCategoryTests {
    static let context = #""@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media""#
    /// IMG_0001.jpg of the fixture tree (MD5 by `md5sum`), as Project VIC category 3 (CGI / animation).
    static let categoryThree = "{\(context),\"value\":[{\"MediaID\":1,\"Category\":3,\"MD5\":\"1EB41BCCF9C3896657DE95586E32EDAB\"}]}"

    @Test("a category-3 match is recorded but not a hit by default; --vics-alert 1,2,3 makes it one")
    func alertSetting() throws {
        let workspace = try TemporaryDirectory("vics-categories")
        defer { workspace.remove() }
        let set = workspace.child("unit.json")
        try Data(Self.categoryThree.utf8).write(to: set)
        let quiet = try ProcessRunner.blindfold([
            "scan", TestEnvironment.evidence.path, "--out", workspace.child("default").path, "--known-bad", set.path,
            "--no-archives",
        ])
        #expect(quiet.exitCode == 0, "not a hit: \(quiet.stderr)")
        #expect(quiet.stdout.contains("known-bad in categories that do not alert: 1 item(s) (by category: 3 1)"), "\(quiet.stdout)")
        let manifest = try ParsedManifest(directory: workspace.child("default"))
        let match = try #require((manifest.item("DCIM/100CAMERA/IMG_0001.jpg")?["matches"] as? [[String: Any]])?.first)
        #expect(match.string("category") == "3" && match["alert"] as? Bool == false)
        #expect(manifest.summary.object("matches")?.int("known-bad") == 0)
        #expect(manifest.summary.object("matches")?.int("known-bad-not-alerting") == 1)
        #expect(manifest.summary.object("matches")?.object("by_category")?.int("3") == 1)

        let canada = try ProcessRunner.blindfold([
            "scan", TestEnvironment.evidence.path, "--out", workspace.child("canada").path, "--known-bad", set.path,
            "--no-archives", "--vics-alert", "1,2,3",
        ])
        #expect(canada.exitCode == 1, "a hit")
        let alerted = try ParsedManifest(directory: workspace.child("canada"))
        let hit = try #require((alerted.item("DCIM/100CAMERA/IMG_0001.jpg")?["matches"] as? [[String: Any]])?.first)
        #expect(hit.string("category") == "3" && hit["alert"] == nil)
        #expect(alerted.summary.object("matches")?.int("known-bad") == 1)
    }

    @Test("an index keeps every category and alerts with the categories it was imported with")
    func indexKeepsEverything() throws {
        let workspace = try TemporaryDirectory("vics-index")
        defer { workspace.remove() }
        let source = workspace.child("set.json")
        try Data("""
            {\(Self.context),"value":[
             {"MediaID":1,"Category":1,"MD5":"\(String(repeating: "a1", count: 16))"},
             {"MediaID":2,"Category":2,"MD5":"\(String(repeating: "b2", count: 16))"},
             {"MediaID":3,"Category":3,"MD5":"\(String(repeating: "c3", count: 16))"},
             {"MediaID":4,"MD5":"\(String(repeating: "d4", count: 16))"}]}
            """.utf8).write(to: source)
        let index = workspace.child("set.bfhs").path
        let imported = try ProcessRunner.blindfold([
            "hashset", "import", source.path, "--name", "vics", "--role", "known-bad", "--vics-alert", "1,3", "-o", index,
        ])
        #expect(imported.exitCode == 0, "\(imported.stderr)")
        let set = try HashSetLoader.load(path: index, name: "ignored", role: .knownBad)
        func alerts(_ byte: String) -> [Bool] {
            set.matches(for: [HashOutput(key: "md5", value: .hex(String(repeating: byte, count: 16)))]).map(\.alerts)
        }
        #expect(alerts("a1") == [true])
        #expect(alerts("b2") == [false])
        #expect(alerts("c3") == [true])
        #expect(alerts("d4") == [false], "uncategorised is kept and matched")
        let overridden = try HashSetLoader.load(path: index, name: "ignored", role: .knownBad, vicsAlertCategories: ["2"])
        #expect(overridden.matches(for: [HashOutput(key: "md5", value: .hex(String(repeating: "b2", count: 16)))]).map(\.alerts) == [true])
    }

    @Test("an error inside an unknown key names its position, never the key (escape codes were tried)")
    func hostileKeyNotQuoted() throws {
        let hostile = "\u{1b}[2J\u{1b}]0;owned\u{07}"
        let escaped = hostile.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04x", $0.value) : String($0) }.joined()
        let text = "{\(Self.context),\"value\":[{\"MD5\":\"\(String(repeating: "ab", count: 16))\",\"\(escaped)\":\"unterminated"
        let error = #expect(throws: HashSetError.self) { try HashSetTests.load(text) }
        let message = error?.description ?? ""
        #expect(message.contains("$.value[0].{member 1}:"), "\(message)")
        #expect(!message.contains("owned") && !message.unicodeScalars.contains { $0.value == 0x1b })
    }
}
