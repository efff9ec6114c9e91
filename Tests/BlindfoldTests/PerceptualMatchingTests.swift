import BlindfoldCore
import Foundation
import ImageDecoding
import PDQ
import Signals
import Testing

/// What PDQ must and must not match: edited copies of one photo, its rotations and mirrors,
/// unrelated photos.
@Suite("PDQ near matching behaviour")
struct PerceptualMatchingTests {
    static let threshold = PDQMatchPolicy.standard.maxDistance

    static func hash(_ url: URL, dihedral: Bool = false) throws -> PDQResult {
        try PDQConformanceTests.pdq(url, options: PDQOptions(dihedral: dihedral)).0
    }

    static func image(_ relative: String) throws -> URL {
        guard let directory = Conformance.directory else { throw Conformance.Missing() }
        return directory.appendingPathComponent("images").appendingPathComponent(relative)
    }

    @Test("The shared bridge variants match the original at the default threshold")
    func bridgeVariantsMatch() throws {
        let original = try Self.hash(Self.image("bridge-mods/aaa-orig.jpg")).hash
        for variant in ["blur-a-little", "blur-a-lot", "high-contrast", "high-saturation", "sharpen-a-little",
                        "sharpen-a-lot", "shrink-a-little", "shrink-a-lot"] {
            let distance = try Self.hash(Self.image("bridge-mods/\(variant).jpg")).hash.distance(to: original)
            #expect(distance <= Self.threshold, "\(variant): \(distance) bits")
        }
    }

    @Test("Copies made here (recompressed, half size, brighter) match their original")
    func generatedCopiesMatch() throws {
        let work = try TemporaryDirectory("pdq-copies")
        defer { work.remove() }
        let source = try Self.image("bridge-mods/aaa-orig.jpg").path
        let ppm = work.child("orig.ppm").path
        let commands: [(String, String)] = [
            ("recompressed", "djpeg '\(source)' | cjpeg -quality 35 > '\(work.path)/recompressed.jpg'"),
            ("half", "djpeg -scale 1/2 '\(source)' | cjpeg -quality 90 > '\(work.path)/half.jpg'"),
            ("brighter", """
                djpeg '\(source)' > '\(ppm)' && python3 -c "
                import sys; d=open(sys.argv[1],'rb').read(); h=d.index(b'255\\n')+4
                sys.stdout.buffer.write(d[:h]+bytes(min(255,b+28) for b in d[h:]))" '\(ppm)' | cjpeg -quality 90 > '\(work.path)/brighter.jpg'
                """),
        ]
        let original = try Self.hash(URL(fileURLWithPath: source)).hash
        for (name, command) in commands {
            let result = try ProcessRunner.run("/bin/sh", ["-c", command])
            #expect(result.exitCode == 0, "\(name): \(result.stderr)")
            let copy = try Self.hash(work.child("\(name).jpg"))
            #expect(copy.quality >= 50)
            let distance = copy.hash.distance(to: original)
            #expect(distance <= Self.threshold, "\(name): \(distance) bits")
        }
    }

    @Test("Rotated and mirrored copies match only through the dihedral hashes")
    func rotationsNeedDihedral() throws {
        let original = try Self.hash(Self.image("reg-test-input/dih/bridge-1-original.jpg")).hash
        for name in ["2-rotate-90", "3-rotate-180", "4-rotate-270", "5-flipx", "6-flipy", "7-flip-plus-1", "8-flip-minus-1"] {
            let copy = try Self.hash(Self.image("reg-test-input/dih/bridge-\(name).jpg"), dihedral: true)
            let plain = copy.hash.distance(to: original)
            #expect(plain > Self.threshold, "\(name) matched without dihedral hashes (\(plain) bits)")
            let best = try #require(copy.dihedral).map { $0.distance(to: original) }.min() ?? 256
            #expect(best <= Self.threshold, "\(name): best dihedral distance \(best)")
        }
    }

    @Test("Unrelated photos do not match")
    func unrelatedDoNotMatch() throws {
        let names = ["bridge-mods/aaa-orig.jpg", "reg-test-input/labelme-subset/q0122.jpg",
                     "reg-test-input/labelme-subset/q0291.jpg", "reg-test-input/labelme-subset/q0746.jpg",
                     "reg-test-input/labelme-subset/q1050.jpg", "reg-test-input/labelme-subset/q2821.jpg",
                     "reg-test-input/pen-and-coaster.png", "misc-images/c.png"]
        let hashes = try names.map { try Self.hash(Self.image($0)).hash }
        for i in hashes.indices {
            for j in hashes.indices where j > i {
                let distance = hashes[i].distance(to: hashes[j])
                #expect(distance > Self.threshold, "\(names[i]) vs \(names[j]): \(distance) bits")
            }
        }
    }
}
