import BlindfoldCore
import Foundation
@testable import KnownHashes
@testable import Signals
import Testing

/// The vPDQ text format and the video comparison, against hand-computed values and the
/// brute-force rule (python-threatexchange's) as the oracle of the indexed set.
@Suite("vPDQ lists and matching")
struct VPDQMatchingTests {
    static func hash(_ seed: UInt64) -> PDQHash {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        return PDQHash(words: (next(), next(), next(), next()))
    }

    /// `hash` with its first `bits` bits flipped.
    static func flipped(_ hash: PDQHash, _ bits: Int) -> PDQHash {
        var words = hash.words
        for bit in 0..<bits {
            switch bit / 64 {
            case 0: words.0 ^= 1 << UInt64(bit % 64)
            case 1: words.1 ^= 1 << UInt64(bit % 64)
            case 2: words.2 ^= 1 << UInt64(bit % 64)
            default: words.3 ^= 1 << UInt64(bit % 64)
            }
        }
        return PDQHash(words: words)
    }

    static func feature(_ frame: Int, _ hash: PDQHash, quality: Int = 100) -> VPDQFeature {
        VPDQFeature(frameNumber: frame, quality: quality, hash: hash, timestamp: Double(frame) / 25)
    }

    @Test("text lines as the reference writes them; malformed lines named by number")
    func text() throws {
        let hex = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
        let feature = VPDQFeature(frameNumber: 23, quality: 87, hash: try #require(PDQHash(hex: hex)), timestamp: 0.9592)
        #expect(VPDQText.line(feature) == "23,87,\(hex),0.959")
        let parsed = try VPDQText.parse("23,87,\(hex),0.959\r\n\n46,100,\(hex),1.919\n")
        #expect(parsed.map(\.frameNumber) == [23, 46] && parsed[1].quality == 100 && parsed[1].timestamp == 1.919)
        #expect(throws: VPDQText.Malformed(line: 2, problem: "the hash is not 64 hex digits")) {
            try VPDQText.parse("0,100,\(hex),0.000\n1,100,xyz,0.040\n")
        }
        #expect(throws: VPDQText.Malformed.self) { try VPDQText.parse("0,101,\(hex),0.000") }
        #expect(throws: VPDQText.Malformed.self) { try VPDQText.parse("0,100,\(hex)") }
    }

    @Test("percentages by hand: duplicates counted once, the quality floor, distance 31 inclusive and 32 not")
    func percentages() {
        let a = Self.hash(1), b = Self.hash(2), c = Self.hash(3), d = Self.hash(4)
        // Query: a, a (duplicate), b at 31 bits, c, d with quality 40 (dropped): 3 frames count.
        let query = [Self.feature(0, a), Self.feature(1, a), Self.feature(2, Self.flipped(b, 31)), Self.feature(3, c),
                     Self.feature(4, d, quality: 40)]
        // Listed: a, b, c at 32 bits, d: 4 frames.
        let listed = [Self.feature(0, a), Self.feature(1, b), Self.feature(2, Self.flipped(c, 32)), Self.feature(3, d)]
        let share = VPDQComparison.standard.percentages(query: query, compared: listed)
        #expect(share == VPDQMatchShare(queryPercent: 200.0 / 3, comparedPercent: 50))
        #expect(share.map(VPDQComparison.standard.isMatch) == false)
        let lenient = VPDQComparison(maxDistance: 31, qualityFloor: 50, queryMatchPercent: 60, comparedMatchPercent: 50)
        #expect(share.map(lenient.isMatch) == true)
    }

    @Test("the indexed set gives the brute-force percentages (2,000 listed videos, 6,000 frames: the multi-index path)")
    func indexAgreesWithBruteForce() {
        var videos: [VPDQListFormat.Video] = []
        for video in 0..<2000 {
            videos.append(VPDQListFormat.Video(
                name: "v\(video)", features: (0..<3).map { Self.feature($0, Self.hash(UInt64(video * 10 + $0 + 1))) }))
        }
        let info = HashSetInfo(name: "set", role: .knownBad, format: "vpdq", entries: videos.count, sha256: "", path: "")
        let set = VPDQHashSet(info: info, videos: videos, policy: .standard)
        // Queries: frames of listed videos moved by 0 to 40 bits, plus unrelated frames.
        for probe in 0..<40 {
            let target = (probe * 53) % 2000
            let query = videos[target].features.enumerated().map { index, feature in
                Self.feature(index, Self.flipped(feature.hash, (probe + index * 13) % 41))
            } + [Self.feature(9, Self.hash(UInt64(1_000_000 + probe)))]
            let indexed = set.shares(for: query)
            let brute = videos.enumerated().compactMap { number, video -> (Int, VPDQMatchShare)? in
                guard let share = VPDQComparison.standard.percentages(query: query, compared: video.features),
                      share.queryPercent > 0 else { return nil }
                return (number, share)
            }
            #expect(indexed.map { $0.video } == brute.map { $0.0 }, "probe \(probe)")
            #expect(indexed.map { $0.share } == brute.map { $0.1 }, "probe \(probe)")
        }
    }
}
