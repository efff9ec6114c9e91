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
