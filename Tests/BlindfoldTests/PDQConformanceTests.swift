import BlindfoldCore
import Foundation
import ImageDecoding
import PDQ
import PHash
import Testing

/// PDQ and pHash against the reference implementation's values on its public test images.
@Suite("PDQ and pHash conformance")
struct PDQConformanceTests {
    /// Decodes and hashes one file the way the `pdq` plugin does.
    static func pdq(_ url: URL, options: PDQOptions = PDQOptions(dihedral: true)) throws -> (PDQResult, DecodedImage) {
        let data = try Data(contentsOf: url)
        let image = try data.withUnsafeBytes { bytes throws(ImageDecodeError) in
            try ImageDecoder.decode(bytes, options: options.decodeOptions)
        }
        return (PDQHasher.hash(image, dihedral: options.dihedral), image)
    }

    @Test("Default path: at most 2 bits from the reference (quality >= 50), exactly equal on at least 90%, quality within 1, dihedral likewise")
    func defaultPathAgreesWithReference() throws {
        let vectors = try Conformance.load()
        #expect(vectors.count >= 45, "conformance set is incomplete")
        var matchable = 0, exact = 0, dihedralTotal = 0, dihedralExact = 0
        for vector in vectors {
            let (result, _) = try Self.pdq(vector.url)
            #expect(abs(result.quality - vector.expected.pdq_quality) <= 1, "\(vector.path): quality \(result.quality)")
            guard vector.expected.pdq_quality >= 50 else { continue }
            matchable += 1
            let distance = Conformance.distance(result.hash.hex, vector.expected.pdq)
            #expect(distance <= 2, "\(vector.path): \(distance) bits from the reference")
            if distance == 0 { exact += 1 }
            let dihedral = try #require(result.dihedral)
            for (index, hash) in dihedral.enumerated() {
                let bits = Conformance.distance(hash.hex, vector.expected.pdq_dihedral[index])
                #expect(bits <= 2, "\(vector.path) dihedral \(index): \(bits) bits")
                dihedralTotal += 1
                if bits == 0 { dihedralExact += 1 }
            }
        }
        #expect(matchable >= 40)
        #expect(exact * 10 >= matchable * 9, "exact on \(exact) of \(matchable)")
        #expect(dihedralExact * 10 >= dihedralTotal * 9, "dihedral exact on \(dihedralExact) of \(dihedralTotal)")
    }

    @Test("--pdq-fast: at most 8 bits on every image it reduces")
    func fastPathStaysClose() throws {
        var reduced = 0
        for vector in try Conformance.load() where vector.expected.format == "JPEG" {
            let (result, image) = try Self.pdq(vector.url, options: PDQOptions(fast: true))
            guard image.width < vector.expected.width else { continue }
            reduced += 1
            #expect(min(image.width, image.height) >= PDQOptions.fastMinimumShortSide)
            let distance = Conformance.distance(result.hash.hex, vector.expected.pdq)
            #expect(distance <= 8, "\(vector.path): \(distance) bits at \(image.width)x\(image.height)")
        }
        #expect(reduced >= 4, "the fast path reduced only \(reduced) images")
    }

    @Test("pHash: equal to ImageHash on at least 90%, at most 4 of 64 bits on every image")
    func phashAgreesWithImageHash() throws {
        let vectors = try Conformance.load()
        var exact = 0
        for vector in vectors {
            let data = try Data(contentsOf: vector.url)
            let image = try data.withUnsafeBytes { bytes throws(ImageDecodeError) in
                try ImageDecoder.decode(bytes, options: ImageDecodeOptions(maxPixels: 100_000_000))
            }
            let distance = Conformance.distance(PHasher.hash(image), vector.expected.phash)
            #expect(distance <= 4, "\(vector.path): \(distance) bits")
            if distance == 0 { exact += 1 }
        }
        #expect(exact * 10 >= vectors.count * 9, "exact on \(exact) of \(vectors.count)")
    }
}
