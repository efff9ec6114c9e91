import BlindfoldCore
import Foundation
@testable import KnownHashes
import Signals
import Testing

/// Writing small set files and building index files for the hash-set tests.
enum HashSetFiles {
    /// Writes `text` to `name` in `directory` and returns its path.
    static func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.child(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Loads `text` as a set file named `name`.
    static func load(
        _ text: String, name: String = "set.txt", role: HashSetRole = .knownBad, format: HashSetFormat? = nil,
        policy: PDQMatchPolicy = .standard
    ) throws -> any KnownHashSet {
        let directory = try TemporaryDirectory("sets")
        defer { directory.remove() }
        let path = try write(text, name, in: directory)
        return try HashSetLoader.load(path: path, name: name, role: role, pdqPolicy: policy, format: format)
    }

    /// Builds a SQLite database at `path` from `sql` with the sqlite3 command-line tool.
    static func sqlite(_ sql: String, at path: String) throws {
        let script = path + ".sql"
        try Data(sql.utf8).write(to: URL(fileURLWithPath: script))
        let result = try ProcessRunner.run("/usr/bin/env", ["sqlite3", path, ".read \(script)"])
        #expect(result.exitCode == 0, "sqlite3: \(result.stderr)")
    }

    /// Item outputs with the given digests.
    static func hashes(md5: String? = nil, sha1: String? = nil, sha256: String? = nil) -> [HashOutput] {
        HashSetTests.hashes(md5: md5, sha1: sha1, sha256: sha256)
    }

    /// Item outputs for a PDQ hash with a quality and, optionally, its dihedral variants.
    static func pdq(_ hash: PDQHash, quality: Int? = 90, dihedral: [PDQHash]? = nil) -> [HashOutput] {
        var outputs = [HashOutput(key: "pdq", value: .hex(hash.hex))]
        if let quality { outputs.append(HashOutput(key: "pdq_quality", value: .integer(quality))) }
        if let dihedral { outputs.append(HashOutput(key: "pdq_dihedral", value: .hexList(dihedral.map(\.hex)))) }
        return outputs
    }
}

/// A deterministic random-number generator (SplitMix64) for reproducible random sets.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension PDQHash {
    /// A random hash.
    static func random(using generator: inout SeededGenerator) -> PDQHash {
        PDQHash(words: (generator.next(), generator.next(), generator.next(), generator.next()))
    }

    /// This hash with the bits at `positions` flipped.
    func flipping(_ positions: some Sequence<Int>) -> PDQHash {
        var bits = (0..<256).map { bit($0) }
        for position in positions { bits[position].toggle() }
        return PDQHash(bits: bits)
    }

    /// This hash with `count` distinct random bits flipped.
    func flipping(random count: Int, using generator: inout SeededGenerator) -> PDQHash {
        var positions = Array(0..<256)
        positions.shuffle(using: &generator)
        return flipping(positions.prefix(count))
    }
}
