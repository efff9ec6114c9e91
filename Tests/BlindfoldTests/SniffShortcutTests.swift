import CMagic
@testable import Evidence
import Foundation
import Testing

/// The sniffer's shortcuts (no MIME pass after a description of `data`, filtered descriptions
/// remembered) against libmagic asked both questions with its default tests: the same MIME
/// type and description for every head of a deterministic mixed set.
@Suite("Sniff shortcuts")
struct SniffShortcutTests {
    /// Heads like the benchmark corpus's: random bytes, random bytes behind common signatures,
    /// text of several kinds, and the degenerate sizes.
    static func heads(count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        let signatures: [[UInt8]] = [
            [], [0xFF, 0xD8, 0xFF, 0xE0], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("GIF89a".utf8),
            Array("%PDF-1.4\n".utf8), [0x50, 0x4B, 0x03, 0x04], [0x1F, 0x8B, 0x08, 0x00], [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1],
            Array("SQLite format 3\u{0}".utf8), Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8),
            [0, 0, 0, 0x18] + Array("ftypmp42".utf8), [0x00, 0x01, 0x02, 0x03],
        ]
        let words = ["alpha", "beta", "gamma", "delta", "42", "3.14", "x", "zeta"]
        var heads: [[UInt8]] = [[], [0x41], [0x00, 0x00]]
        for index in 0..<count {
            let size = Int.random(in: 16...(16 << 10), using: &generator)
            switch index % 4 {
            case 0, 1:
                let signature = signatures[index / 4 % signatures.count]
                var head = signature
                for _ in 0..<max(0, size - signature.count) { head.append(UInt8.random(in: 0...255, using: &generator)) }
                heads.append(head)
            case 2:
                var line: [String] = []
                for _ in 0..<6 { line.append(words[Int.random(in: 0..<words.count, using: &generator)]) }
                let separator = index % 8 == 2 ? "," : " "
                let text = Array(repeating: line.joined(separator: separator), count: size / 40 + 1).joined(separator: "\n")
                heads.append(Array(text.utf8))
            default:
                var values: [String] = []
                for _ in 0..<(size / 30 + 1) {
                    let key = Int.random(in: 0..<99, using: &generator)
                    values.append("{\"k\(key)\": [1, 2.5, \"v\"]}")
                }
                let json = "[" + values.joined(separator: ",") + "]"
                let html = "<html><body>" + values.joined() + "</body></html>"
                heads.append(Array((index % 8 == 3 ? json : html).utf8))
            }
        }
        return heads
    }

    @Test("standard profile: the same MIME type and description as libmagic's defaults asked twice")
    func sameAsTwoDefaultCalls() throws {
        let sniffer = try TypeSniffer()
        let describe = try MagicCookie(flags: MAGIC_NO_CHECK_COMPRESS | MAGIC_RAW)
        let mimeType = try MagicCookie(flags: MAGIC_NO_CHECK_COMPRESS | MAGIC_RAW | MAGIC_MIME_TYPE)
        var data = 0, differences: [String] = []
        let heads = Self.heads(count: 400, seed: 11)
        // Twice over: the second pass answers from the remembered filtered descriptions.
        for pass in 0..<2 {
            for (index, head) in heads.enumerated() {
                let got = head.withUnsafeBytes { sniffer.sniff($0) }
                let description = head.withUnsafeBytes { describe.identify($0) } ?? "data"
                let mime = head.withUnsafeBytes { mimeType.identify($0) } ?? "application/octet-stream"
                if pass == 0 && description == "data" { data += 1 }
                if got.mime != mime || got.description != TypeSniffer.sanitised(description) {
                    differences.append("pass \(pass) head \(index): \(got.mime) / \(mime)")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        #expect(data >= 50, "random heads take the shortcut (\(data) of \(heads.count))")
    }
}
