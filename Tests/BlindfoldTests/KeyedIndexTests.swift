import BlindfoldCore
import Foundation
@testable import KnownHashes
import Testing

/// Keyed lists (`# blindfold keyed hashes 1`) imported into `.bfhs` indexes: the index answers
/// every query exactly as the list it was imported from, with hand-made values.
@Suite("Keyed hash indexes") struct KeyedIndexTests {
    static let list = """
        # blindfold keyed hashes 1
        # hand-made: a duplicate first unlabelled, one first labelled, upper-case hex
        tlsh     0A1B2C  cat 1
        ssdeep   3:AbC:dEf
        ssdeep   3:AbC:dEf  series-B
        mb_count 42
        photodna AAECAwQ=  other label
        tlsh     0a1b2c  dup-later

        """

    /// The list and its index, both loaded under one name, and the import's summary.
    static func loadBoth(_ text: String, in directory: TemporaryDirectory) throws
        -> (list: any KnownHashSet, index: any KnownHashSet, summary: HashSetImporter.Summary, path: String)
    {
        let path = try HashSetFiles.write(text, "fuzzy.txt", in: directory)
        let output = directory.child("fuzzy.bfhs").path
        let summary = try HashSetImporter.run(
            source: path, name: "fuzzy.txt", role: .knownBad, output: output, toolVersion: "test")
        let list = try HashSetLoader.load(path: path, name: "fuzzy.txt", role: .knownBad)
        let index = try HashSetLoader.load(path: output, name: "ignored", role: .knownBad)
        return (list, index, summary, path)
    }

    static func output(_ key: String, _ text: String) -> [HashOutput] { [HashOutput(key: key, value: .hex(text))] }

    @Test("import: counts per key, the source's digest and format; lookups equal the list's and the hand-made answers")
    func importAndMatch() throws {
        let directory = try TemporaryDirectory("keyed-index")
        defer { directory.remove() }
        let (list, index, summary, path) = try Self.loadBoth(Self.list, in: directory)
        #expect(summary.counts == ["tlsh": 1, "ssdeep": 1, "mb_count": 1, "photodna": 1])
        #expect(summary.metadata.sourceEntries == 6)
        #expect(index.info.format == "bfhs:keyed-list")
        #expect(index.info.entries == 6)
        #expect(index.info.name == "fuzzy.txt")
        let sha256 = try ProcessRunner.run("/usr/bin/sha256sum", [path]).stdout.prefix(64)
        #expect(index.info.sha256 == String(sha256))
        #expect(list.info.sha256 == String(sha256))

        let expected: [([HashOutput], String?)] = [
            (Self.output("tlsh", "0a1b2c"), "cat 1"),           // the first labelled line wins
            (Self.output("tlsh", "0A1B2C"), "cat 1"),           // hex without regard to case
            (Self.output("ssdeep", "3:AbC:dEf"), "series-B"),   // first unlabelled, then labelled
            (Self.output("ssdeep", "3:abc:def"), nil),          // text byte for byte: no match
            (Self.output("photodna", "AAECAwQ="), "other label"),
            (Self.output("mb_count", "42"), nil),               // listed, but under hex: see below
            (Self.output("other", "0a1b2c"), nil),              // another key
            (Self.output("md5", "0a1b2c"), nil),
            (Self.output("tlsh", "0a1b2"), nil),                // a prefix of a listed value
            (Self.output("tlsh", "0a1b2c0"), nil),              // one digit more
        ]
        for (hashes, category) in expected {
            let fromIndex = index.matches(for: hashes)
            #expect(fromIndex == list.matches(for: hashes), "\(hashes)")
            guard hashes[0].key != "mb_count" else { continue }
            if let category {
                #expect(fromIndex == [Match(set: "fuzzy.txt", role: .knownBad, algorithm: hashes[0].key, category: category)])
            } else {
                #expect(fromIndex.isEmpty, "\(hashes)")
            }
        }
        // An integer output never matches a listed value, in the list or the index.
        let count = [HashOutput(key: "mb_count", value: .integer(42))]
        #expect(index.matches(for: count).isEmpty && list.matches(for: count).isEmpty)
        // Several keys at once: one match per listed key, in the item's order.
        let both = Self.output("ssdeep", "3:AbC:dEf") + Self.output("tlsh", "0A1B2C")
        #expect(index.matches(for: both).map(\.algorithm) == ["ssdeep", "tlsh"])
        #expect(index.matches(for: both) == list.matches(for: both))
        // hashset info's counts.
        let file = try IndexFile(path: directory.child("fuzzy.bfhs").path)
        #expect(file.counts == ["keyed": 4])
        #expect(file.categoryCounts == ["cat 1": 1, "series-B": 1, "(none)": 1, "other label": 1])
    }

    @Test("2,000 random entries over four keys: every listed value and 2,000 unlisted ones answer as the list does")
    func randomEquivalence() throws {
        let directory = try TemporaryDirectory("keyed-random")
        defer { directory.remove() }
        var random = SeededGenerator(seed: 16)
        let keys = ["tlsh", "ssdeep", "photodna", "k-9_x"]
        let alphabet = Array("0123456789abcdefABCDEF:+/=xyz")
        func value() -> String {
            String((0..<Int.random(in: 1...40, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "0" })
        }
        var lines = ["# blindfold keyed hashes 1"]
        var listed: [(String, String)] = []
        for index in 0..<2000 {
            let key = keys[index % keys.count]
            let text = value()
            listed.append((key, text))
            lines.append(index % 3 == 0 ? "\(key) \(text) label-\(index % 7)" : "\(key)\t\(text)")
        }
        let (list, indexed, _, _) = try Self.loadBoth(lines.joined(separator: "\n") + "\n", in: directory)
        var hits = 0
        for (key, text) in listed {
            let found = indexed.matches(for: Self.output(key, text))
            #expect(found == list.matches(for: Self.output(key, text)))
            hits += found.count
        }
        #expect(hits == listed.count)
        for _ in 0..<2000 {
            let query = Self.output(keys.randomElement(using: &random) ?? "tlsh", value() + "q")
            #expect(indexed.matches(for: query).isEmpty && list.matches(for: query).isEmpty)
        }
    }

    @Test("a keyed section whose entry offsets are out of order is refused as corrupt")
    func corruptOffsets() throws {
        let directory = try TemporaryDirectory("keyed-corrupt")
        defer { directory.remove() }
        _ = try Self.loadBoth(Self.list, in: directory)
        let path = directory.child("fuzzy.bfhs").path
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        // The keyed section is the last one: find it in the directory (kind 4) and swap two
        // entry offsets, then write a checksum that agrees, so only the offset check can refuse it.
        let sections = Int(bytes[24])
        let entry = try #require((0..<sections).map { 64 + $0 * 32 }.first { bytes[$0] == 4 })
        let start = bytes[(entry + 8)..<(entry + 16)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let offsets = start + 16
        for byte in 0..<8 { bytes.swapAt(offsets + 8 + byte, offsets + 16 + byte) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let digest = try ProcessRunner.run("/bin/sh", ["-c", "tail -c +65 '\(path)' | sha256sum"]).stdout.prefix(64)
        let digestBytes = stride(from: 0, to: 64, by: 2).map { offset -> UInt8 in
            let from = digest.index(digest.startIndex, offsetBy: offset)
            return UInt8(digest[from..<digest.index(from, offsetBy: 2)], radix: 16) ?? 0
        }
        bytes.replaceSubrange(32..<64, with: digestBytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect {
            try IndexFile(path: path)
        } throws: { error in
            (error as? HashSetError)?.description.contains("entry offsets") == true
        }
    }
}
