import BlindfoldCore
@testable import Evidence
import Foundation
@testable import Scanner
import Testing

/// Regressions for hostile values found in review: absurd sizes and times, content smuggled
/// through libmagic's descriptions, members whose first bytes arrive in small pieces.
@Suite("Hardening")
struct HardeningTests {
    @Test("descriptions keep libmagic's vocabulary and drop everything taken from the item", arguments: [
        ("a /opt/secret-case-42/tool -x script, ASCII text executable", "secret-case-42"),
        ("gzip compressed data, was \"a\" SECRET-PLAN \"b\", from Unix", "SECRET-PLAN"),
        ("Composite Document File V2 Document, Author: Smith, John, Title: Plans", "John"),
        ("JPEG image data, comment: \"top secret\", baseline", "secret"),
        ("ISO 9660 CD-ROM filesystem data 'LABEL-X' (bootable)", "LABEL-X"),
        ("data\u{202E}txt.exe", "\u{202E}"),
    ])
    func descriptionsAreClean(_ description: String, secret: String) {
        let cleaned = TypeSniffer.sanitised(description)
        #expect(!cleaned.contains(secret), "\(cleaned)")
        #expect(!cleaned.isEmpty)
    }

    @Test("plain descriptions pass unchanged")
    func plainDescriptions() {
        for description in ["PNG image data, 80 x 60, 8-bit gray+alpha, non-interlaced", "ASCII text", "data"] {
            #expect(TypeSniffer.sanitised(description) == description)
        }
    }

    @Test("timestamps from absurd years print instead of trapping")
    func absurdTimes() {
        #expect(Timestamp(seconds: 67_768_036_191_676_799).rfc3339.contains("-12-31T"))
        #expect(Timestamp(seconds: -62_135_596_800).rfc3339 == "0001-01-01T00:00:00Z")
    }

    @Test("an expansion budget never overflows, whatever the container's size")
    func budgetOverflow() throws {
        var limits = ScanLimits()
        limits.expansionRatio = Int.max
        let budget = ExpansionBudget(limits: limits, containerSize: { Int64.max / 2 }, declaredSize: Int64.max, parent: nil)
        try budget.charge(2 << 20)
        #expect(budget.exhausted == nil)
    }

    @Test("a script's interpreter line and a hostile archive time never reach the manifest or crash the scan")
    func hostileValuesEndToEnd() throws {
        let workspace = try TemporaryDirectory("hardening")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("#!/opt/secret-case-42/tool -x\necho hi\n".utf8).write(to: root.appendingPathComponent("run"))
        try ArchiveTests.shell("""
            cd '\(root.path)' && python3 -c "
            import tarfile, io
            with tarfile.open('times.tar', 'w', format=tarfile.PAX_FORMAT) as t:
                info = tarfile.TarInfo('future.txt'); data = b'from the far future'
                info.size = len(data); info.pax_headers = {'mtime': '67768036191676799'}
                t.addfile(info, io.BytesIO(data))
            "
            """)
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", workspace.child("out").path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try Data(contentsOf: workspace.child("out/manifest.jsonl"))
        #expect(manifest.range(of: Data("secret-case-42".utf8)) == nil)
        let parsed = try ParsedManifest(directory: workspace.child("out"))
        #expect(parsed.items.contains { ($0["layers"] as? [[String: Any]])?.first?.string("member") == "future.txt" })
    }

    @Test("a large member whose first bytes arrive in pieces is still identified (and expanded)")
    func headIsFilledBeforeSniffing() throws {
        let workspace = try TemporaryDirectory("head")
        defer { workspace.remove() }
        let w = workspace.path
        // An odd-sized first member puts the zip's first byte near a 64 KiB block boundary.
        try ArchiveTests.shell("""
            cd '\(w)' && mkdir evidence src && head -c 65000 /dev/urandom > src/a.bin \
            && head -c 2000000 /dev/urandom > inner.bin && printf 'needle\\n' > needle.txt \
            && bsdtar --format zip -cf src/big.zip inner.bin needle.txt \
            && (cd src && bsdtar --format ustar -cf ../evidence/outer.tar a.bin big.zip)
            """)
        let result = try ProcessRunner.blindfold(["scan", workspace.child("evidence").path, "--out", workspace.child("out").path])
        #expect(result.exitCode == 0)
        let manifest = try ParsedManifest(directory: workspace.child("out"))
        let zip = try #require(manifest.items.first { ($0["layers"] as? [[String: Any]])?.last?.string("member") == "big.zip" })
        #expect(zip.string("mime") == "application/zip")
        #expect(manifest.items.contains { ($0["layers"] as? [[String: Any]])?.last?.string("member") == "needle.txt" })
    }
}
