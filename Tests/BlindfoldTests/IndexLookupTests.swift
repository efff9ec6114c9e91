import BlindfoldCore
import Foundation
@testable import KnownHashes
import Testing

/// The `.bfhs` lookup (an in-memory coarse bucket table, then interpolation inside the bucket)
/// against Swift's own `Set`: every answer must be the same, for present and absent digests,
/// digests that share their leading eight bytes, and the extreme buckets.
@Suite("Index lookups")
struct IndexLookupTests {
    /// Random digests of `width` bytes plus planted neighbours: a cluster sharing one leading
    /// word, the all-zero and all-0xFF digests.
    static func listed(count: Int, width: Int, generator: inout SeededGenerator) -> [[UInt8]] {
        var digests = (0..<count).map { _ in (0..<width).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        guard count >= 100 else { return digests }
        let lead = digests[0].prefix(8)
        for index in 1...32 { digests[index] = Array(lead) + (8..<width).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        digests[33] = [UInt8](repeating: 0, count: width)
        digests[34] = [UInt8](repeating: 0xFF, count: width)
        return digests
    }

    /// Queries: every listed digest, each with its last byte changed, its leading word with
    /// another tail, random ones, and the neighbours of the extremes.
    static func queries(for listed: [[UInt8]], width: Int, generator: inout SeededGenerator) -> [[UInt8]] {
        var queries: [[UInt8]] = []
        for digest in listed {
            queries.append(digest)
            var neighbour = digest
            neighbour[width - 1] &+= 1
            queries.append(neighbour)
            queries.append(Array(digest.prefix(8)) + (8..<width).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        for _ in 0..<max(1000, listed.count) { queries.append((0..<width).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        var low = [UInt8](repeating: 0, count: width)
        low[width - 1] = 1
        var high = [UInt8](repeating: 0xFF, count: width)
        high[width - 1] = 0xFE
        return queries + [low, high, [UInt8](repeating: 0, count: width), [UInt8](repeating: 0xFF, count: width)]
    }

    @Test(
        "random present and absent digests: the index answers as a Set does",
        arguments: [(DigestAlgorithm.sha1, 1), (.sha1, 100), (.md5, 1000), (.sha256, 20_000), (.sha1, 150_000)])
    func sameAsSet(_ algorithm: DigestAlgorithm, _ count: Int) throws {
        let directory = try TemporaryDirectory("lookup")
        defer { directory.remove() }
        var generator = SeededGenerator(seed: UInt64(count) &* 31 &+ UInt64(algorithm.byteWidth))
        let width = algorithm.byteWidth
        let digests = Self.listed(count: count, width: width, generator: &generator)
        let text = digests.map { Hex.encode($0) + "  f\n" }.joined()
        let (_, path) = try HashSetIndexTests.importText(text, name: "set.\(algorithm.rawValue)", in: directory)
        let index = try IndexFile(path: path)
        let reference = Set(digests)
        #expect(index.counts == [algorithm.rawValue: reference.count])
        let set = try HashSetLoader.load(path: path, name: "x", role: .knownBad)
        var present = 0, absent = 0, wrong = 0
        for query in Self.queries(for: digests, width: width, generator: &generator) {
            var hex = Hex.encode(query)
            let found = hex.withUTF8 { index.contains(hex: $0, algorithm: algorithm) }
            let matched = !set.matches(for: [HashOutput(key: algorithm.rawValue, value: .hex(hex))]).isEmpty
            let expected = reference.contains(query)
            if found != expected || matched != expected { wrong += 1 }
            if expected { present += 1 } else { absent += 1 }
        }
        #expect(wrong == 0, "\(wrong) answers differ from the Set's")
        #expect(present >= reference.count, "every listed digest was asked")
        #expect(absent > present, "absent digests were asked too")
    }

    @Test("a bucket table out of order is refused on open, even with a valid checksum")
    func disorderedBuckets() throws {
        let directory = try TemporaryDirectory("lookup")
        defer { directory.remove() }
        var generator = SeededGenerator(seed: 5)
        let digests = Self.listed(count: 1000, width: 20, generator: &generator)
        let (_, path) = try HashSetIndexTests.importText(digests.map { Hex.encode($0) + "  f\n" }.joined(), in: directory)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // The digest section: its directory entry's offset; its bucket table after a 16-byte header.
        let sections = Int(bytes[24])
        let entry = try #require((0..<sections).map { 64 + $0 * 32 }.first { bytes[$0] == 2 })
        let offset = (0..<8).reduce(0) { $0 | Int(bytes[entry + 8 + $1]) << (8 * $1) }
        let fileBits = Int(bytes[offset])
        let coarse = CoarseBuckets.bits(for: 1000, fileBits: fileBits)
        #expect(fileBits == 6 && coarse == 3, "1,000 digests: 2^6 buckets in the file, 2^3 in memory")
        // Bucket 8 of the file's table is the second one the coarse table samples: past the end.
        let damaged = offset + 16 + (1 << (fileBits - coarse)) * 4
        bytes.replaceSubrange(damaged..<(damaged + 4), with: [0xFF, 0xFF, 0, 0])
        let body = directory.child("body")
        try Data(bytes[64...]).write(to: URL(fileURLWithPath: body.path))
        let sum = try ProcessRunner.run("/usr/bin/env", ["sha256sum", body.path])
        let digest = try #require(Hex.decode(String(sum.stdout.prefix(64))))
        bytes.replaceSubrange(32..<64, with: digest)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: HashSetError.self) { try IndexFile(path: path) }
        #expect(error?.reason.contains("bucket table out of order") == true, "\(String(describing: error))")
    }
}
