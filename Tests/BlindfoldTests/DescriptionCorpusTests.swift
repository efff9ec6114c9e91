import CMagic
@testable import Evidence
import Foundation
import Testing

/// Runs the description filter over a directory of public test files (file(1)'s `tests/`,
/// fetched to /tmp by hand and never committed) when `BLINDFOLD_DESCRIPTION_CORPUS` names it:
/// no printable run of five or more characters of a file's own bytes may survive in its
/// description, except libmagic's own words. Prints the figures docs/RELIABILITY.md quotes.
@Suite("Description corpus")
struct DescriptionCorpusTests {
    static let corpus = ProcessInfo.processInfo.environment["BLINDFOLD_DESCRIPTION_CORPUS"]

    @Test("no file's own text survives in its description", .enabled(if: corpus != nil))
    func corpusHasNoLeaks() throws {
        let directory = URL(fileURLWithPath: try #require(Self.corpus))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".testfile") }.sorted()
        let raw = try MagicCookie(flags: MAGIC_NO_CHECK_COMPRESS | MAGIC_RAW)
        let sniffer = try TypeSniffer(options: SniffOptions(profile: .full))
        var changed = 0
        var rawLeaks = 0
        for name in names {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
            let head = Array(bytes.prefix(64 << 10))
            let before = head.withUnsafeBytes { raw.identify($0) } ?? "data"
            let after = head.withUnsafeBytes { sniffer.sniff($0) }.description
            if before != after {
                changed += 1
                print("corpus: \(name)\n  before: \(before)\n  after:  \(after)")
            }
            if !Self.leaks(of: head, in: before).isEmpty { rawLeaks += 1 }
            let leaks = Self.leaks(of: head, in: after)
            #expect(leaks.isEmpty, "\(name): \(after) holds \(leaks)")
        }
        print("corpus: \(names.count) files, \(changed) descriptions changed, \(rawLeaks) raw descriptions quoted the file")
    }

    /// Printable runs of at least five characters of `bytes` that appear in `description` and
    /// are not libmagic's own words (the runs of the type phrase or a vocabulary entry).
    static func leaks(of bytes: [UInt8], in description: String) -> [String] {
        var runs: Set<String> = []
        var current: [UInt8] = []
        for byte in bytes + [0] {
            if byte >= 0x20 && byte < 0x7F {
                current.append(byte)
            } else {
                if current.count >= 5 { runs.insert(String(decoding: current, as: UTF8.self)) }
                current = []
            }
        }
        var found: [String] = []
        for run in runs {
            // Every window of five characters of the run that the description holds.
            let characters = Array(run)
            for start in 0...(characters.count - 5) {
                let window = String(characters[start..<(start + 5)])
                if description.contains(window) && !isOwnWord(window) { found.append(window) }
            }
        }
        return found
    }

    /// True when `window` is part of libmagic's own vocabulary (a phrase it prints itself).
    /// libmagic's compiled database holds every phrase it prints.
    static func isOwnWord(_ window: String) -> Bool {
        DescriptionVocabulary.allPhrases.contains { $0.contains(window) }
            || magicDatabase.range(of: Data(window.utf8)) != nil
    }

    static let magicDatabase: Data = (try? Data(contentsOf: URL(fileURLWithPath: "/usr/lib/file/magic.mgc"))) ?? Data()
}
