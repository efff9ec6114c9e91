import BlindfoldCore
import Foundation
@testable import KnownHashes
import Signals
import Testing

/// PDQ near matching: hand-computed distances at the threshold, the quality floor, dihedral
/// variants, and the multi-index against a linear scan on random sets.
@Suite("PDQ near matching")
struct PDQIndexTests {
    static let base = PDQHash(hex: String(repeating: "f0", count: 32))!

    static func set(_ entries: [(PDQHash, String?)], policy: PDQMatchPolicy = .standard) -> PDQHashSet {
        let info = HashSetInfo(name: "pdq", role: .knownBad, format: "pdq-list", entries: entries.count, sha256: "", path: "")
        return PDQHashSet(info: info, hashes: entries.map { (hash: $0.0, category: $0.1) }, policy: policy)
    }

    @Test("FORMATS.md's examples: f0…f0 vs f0…ff is 4, vs 0f…0f is 256")
    func referenceDistances() throws {
        let other = try #require(PDQHash(hex: String(repeating: "f0", count: 31) + "ff"))
        let inverse = try #require(PDQHash(hex: String(repeating: "0f", count: 32)))
        #expect(Self.base.distance(to: other) == 4)
        #expect(Self.base.distance(to: inverse) == 256)
    }

    @Test("distance 31 matches, 32 does not; the nearest entry's category and distance are reported")
    func threshold() throws {
        let at31 = Self.base.flipping(0..<31)
        let at32 = Self.base.flipping(100..<132)
        #expect(at31.distance(to: Self.base) == 31 && at32.distance(to: Self.base) == 32)
        let only31 = Self.set([(at31, "A")])
        #expect(only31.matches(for: HashSetFiles.pdq(Self.base)) == [
            Match(set: "pdq", role: .knownBad, algorithm: "pdq", category: "A", distance: 31)
        ])
        #expect(Self.set([(at32, "B")]).matches(for: HashSetFiles.pdq(Self.base)).isEmpty)
        let both = Self.set([(at32, "B"), (at31, "A"), (Self.base.flipping([7, 9]), "C")])
        #expect(both.matches(for: HashSetFiles.pdq(Self.base)).map { "\($0.category ?? "-")@\($0.distance ?? -1)" } == ["C@2"])
        let tight = Self.set([(at31, "A")], policy: PDQMatchPolicy(maxDistance: 30, qualityFloor: 50, dihedral: false))
        #expect(tight.matches(for: HashSetFiles.pdq(Self.base)).isEmpty)
    }

    @Test("an item below the quality floor never matches; at the floor it does; without a quality it does")
    func qualityFloor() throws {
        let set = Self.set([(Self.base, nil)])
        #expect(set.matches(for: HashSetFiles.pdq(Self.base, quality: 49)).isEmpty)
        #expect(set.matches(for: HashSetFiles.pdq(Self.base, quality: 50)).count == 1)
        #expect(set.matches(for: HashSetFiles.pdq(Self.base, quality: nil)).count == 1)
    }

    @Test("dihedral variants match only when the policy asks for them, with the smallest distance")
    func dihedral() throws {
        var generator = SeededGenerator(seed: 5)
        let variants = (0..<8).map { _ in PDQHash.random(using: &generator) }
        let entry = variants[3].flipping([1, 2, 3])
        let plain = Self.set([(entry, "1")])
        let turning = Self.set([(entry, "1")], policy: PDQMatchPolicy(maxDistance: 31, qualityFloor: 50, dihedral: true))
        let item = HashSetFiles.pdq(variants[0], dihedral: variants)
        #expect(plain.matches(for: item).isEmpty)
        #expect(turning.matches(for: item).map(\.distance) == [3])
    }

    @Test(
        "the multi-index gives the linear scan's answer on random sets with planted near hashes",
        arguments: [6000, 150_000], [15, 31, 40, 63])
    func indexEqualsLinear(size: Int, maxDistance: Int) throws {
        var generator = SeededGenerator(seed: UInt64(maxDistance * size))
        var hashes = (0..<size).map { _ in PDQHash.random(using: &generator) }
        var queries: [PDQHash] = []
        for number in 0..<(size > 10_000 ? 300 : 600) {
            let target = hashes[Int(generator.next() % UInt64(size))]
            // Distances around every radius boundary, exactly at the threshold and one past it.
            let distance = [0, 1, 15, 16, 17, 31, 32, 33, 40, 47, 48, 63, 64, maxDistance, maxDistance + 1][number % 15]
            queries.append(target.flipping(random: distance, using: &generator))
            if number % 5 == 0 { hashes.append(queries[queries.count - 1].flipping(random: maxDistance, using: &generator)) }
        }
        queries += (0..<200).map { _ in PDQHash.random(using: &generator) }
        let index = PDQIndex(hashes: hashes.sorted())
        // 16 chunks of 16 bits for the small set, 15 of 17 and 18 bits for the large one.
        #expect(index.chunks.count == (size > 10_000 ? 15 : 16))
        var found = 0
        for query in queries {
            let fast = index.nearest(to: query, within: maxDistance)
            let slow = index.nearestLinear(to: query, within: maxDistance)
            #expect(fast?.distance == slow?.distance && fast?.entry == slow?.entry)
            if slow != nil { found += 1 }
        }
        #expect(found > (size > 10_000 ? 60 : 150), "the planted near hashes are found")
    }

    @Test("PDQ entries in an index match as in the raw list")
    func pdqInIndex() throws {
        let directory = try TemporaryDirectory("pdq")
        defer { directory.remove() }
        var generator = SeededGenerator(seed: 9)
        let hashes = (0..<2000).map { _ in PDQHash.random(using: &generator) }
        let text = "signal_type,signal_str,collab,category,tags\n"
            + hashes.enumerated().map { "pdq,\($1.hex),c,cat\($0 % 3),t" }.joined(separator: "\n") + "\n"
        let source = try HashSetFiles.write(text, "list.csv", in: directory)
        let index = directory.child("list.bfhs").path
        let summary = try HashSetImporter.run(source: source, name: "list.csv", role: .knownBad, output: index, toolVersion: "t")
        #expect(summary.counts == ["pdq": 2000])
        let raw = try HashSetLoader.load(path: source, name: "list.csv", role: .knownBad)
        let indexed = try HashSetLoader.load(path: index, name: "x", role: .knownBad)
        #expect(indexed is PDQHashSet)
        for number in stride(from: 0, to: 2000, by: 7) {
            let query = HashSetFiles.pdq(hashes[number].flipping(random: number % 40, using: &generator))
            #expect(indexed.matches(for: query) == raw.matches(for: query))
        }
        #expect(try IndexFile(path: index).categoryCounts == ["cat0": 667, "cat1": 667, "cat2": 666])
    }
}
