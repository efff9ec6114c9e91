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
        // Issue #13: fields whose values are the item's own text, whatever their key.
        ("JPEG image data, Exif Standard: [TIFF image data, big-endian, direntries=4, manufacturer=SECRETMK, model=M, software=S], baseline", "SECRETMK"),
        ("TIFF image data, little-endian, direntries=16, name=SECRET-DOC, width=4", "SECRET-DOC"),
        ("ARJ archive data, v11, slash-switched, original name: SECRET.arj, os: Unix", "SECRET"),
        ("HDD Raw Copy Tool SECRETV - HD model: ST500 serial: 51D2", "SECRETV"),
        ("Xilinx BIT data - from SECRETD;UserID=0XFFFFFFFF - for 7z010", "SECRETD"),
        ("Vim swap file, version 7.4, pid 123, user SECRETU, host SECRETH, file /home/x", "SECRET"),
        ("a /usr/bin/env SECRETS, stereo, x script, ASCII text executable", "SECRETS"),
        ("MS Windows 95 Internet shortcut text (URL=<https://SECRETURL/>), ASCII text", "SECRETURL"),
        ("QEMU QCOW Image (v2), has backing file (path /images/SECRETB.img), 1073741824 bytes", "SECRETB"),
        ("VirtualBox Disk Image, major 1, minor 1 (<<< SECRETVB >>>), 1048576 bytes", "SECRETVB"),
        ("u-boot legacy uImage, SECRETNAME, Linux/ARM, OS Kernel Image (gzip), 64 bytes", "SECRETNAME"),
        ("Linux kernel x86 boot executable bzImage, version 5.10 (SECRET@host) #1 SMP, RW-rootFS", "SECRET"),
        ("bcachefs, UUID=46bd306f-80ad-4cd0-af4f-147e7d85f393, label \"SECRETL\", version 13", "46bd306f"),
    ])
    func descriptionsAreClean(_ description: String, secret: String) {
        let cleaned = TypeSniffer.sanitised(description)
        #expect(!cleaned.contains(secret), "\(cleaned)")
        #expect(!cleaned.isEmpty)
    }

    @Test("plain descriptions pass unchanged")
    func plainDescriptions() {
        for description in [
            "PNG image data, 80 x 60, 8-bit gray+alpha, non-interlaced", "ASCII text", "data",
            "JPEG image data, JFIF standard 1.01, aspect ratio, density 1x1, segment length 16, progressive, precision 8, 64x48, components 3",
            "TIFF image data, little-endian, direntries=10, height=48, bps=496, compression=deflate, PhotometricInterpretation=RGB, width=64",
            "Audio file with ID3 version 2.4.0, contains: MPEG ADTS, layer III, v1, 192 kbps, 44.1 kHz, JntStereo",
            "Netpbm image data, size = 64 x 48, rawbits, pixmap", "compress'd data 16 bits",
            "Zip archive data, at least v2.0 to extract, compression method=deflate",
        ] {
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
