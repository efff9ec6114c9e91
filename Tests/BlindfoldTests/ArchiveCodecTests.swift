@testable import Evidence
import Foundation
import Testing

/// Issue #13: a 7z member packed with a codec this libarchive cannot decode is `unsupported`,
/// not `corrupt` (libarchive says "Unknown codec ID" or "Unexpected codec ID").
@Suite("Archive codecs")
struct ArchiveCodecTests {
    @Test("libarchive's codec messages map to unsupported")
    func codecMessages() {
        #expect(ArchiveReader.status(for: "Unknown codec ID: 40109") == .unsupported)
        #expect(ArchiveReader.status(for: "Unexpected codec ID: 3") == .unsupported)
        #expect(ArchiveReader.status(for: "Damaged 7-Zip archive") == .corrupt)
    }

    @Test("a Deflate64 and an ARM64-filtered 7z member are unsupported; the scan goes on", arguments: ["Deflate64", "ARM64"])
    func unsupportedCodec(_ method: String) throws {
        let workspace = try TemporaryDirectory("7z-codec")
        defer { workspace.remove() }
        try ArchiveTests.shell("""
            cd '\(workspace.path)' && mkdir evidence && python3 -c "import random; r = random.Random(13); \
            open('member.bin', 'wb').write(bytes(r.randrange(256) for _ in range(20000)))" \
            && 7z a -bd -m0=\(method) evidence/packed.7z member.bin >/dev/null && printf 'plain\\n' > evidence/plain.txt
            """)
        let (result, manifest) = try ArchiveTests.scan(workspace.child("evidence").path, out: workspace.child("out").path)
        #expect(result.exitCode == 0)
        let members = ArchiveTests.members(of: manifest, in: "packed.7z")
        #expect(members.count == 1)
        #expect(members.allSatisfy { $0.string("status") == "unsupported" }, "\(members)")
        #expect(manifest.item("plain.txt")?.string("status") == "ok")
    }
}

/// libarchive messages that end in text from the archive are cut before it (rule 1).
@Suite("libarchive reasons")
struct LibarchiveReasonTests {
    @Test("a reason keeps libarchive's wording and never the archive's names or parser output")
    func reasonsCut() {
        // Message shapes from libarchive's ISO9660, XAR and 7-Zip readers, with planted names.
        #expect(ArchiveReader.reasonText("Directory is beyond end-of-media: SECRET_DIR") == "Directory is beyond end-of-media")
        #expect(ArchiveReader.reasonText("Ignoring out-of-order file @1a2b (SECRET.JPG) 7 < 9") == "Ignoring out-of-order file @1a2b")
        #expect(ArchiveReader.reasonText("XML Parsing error: tag 'secret' mismatch") == "XML Parsing error")
        #expect(ArchiveReader.reasonText("Unknown codec ID: 40109") == "Unknown codec ID")
        #expect(ArchiveReader.reasonText("Truncated input file (needed 2587648 bytes, only 0 available)") == "Truncated input file")
        #expect(ArchiveReader.reasonText("Damaged tar archive") == "Damaged tar archive")
        #expect(ArchiveReader.reasonText("caf\u{E9} name") == "caf")
        #expect(ArchiveReader.reasonText(": leading") == "libarchive error")
        #expect(ArchiveReader.reasonText("Couldn't read 'SECRET.TXT'") == "Couldn't read")
    }
}
