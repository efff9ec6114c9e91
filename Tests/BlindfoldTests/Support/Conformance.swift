import Foundation

/// The shared PDQ/pHash conformance vectors (`../shared/conformance/pdq/`): read from there,
/// never copied into the repository.
enum Conformance {
    /// One image's reference values, as `make_expected.py` wrote them.
    struct Expected: Decodable {
        var width: Int
        var height: Int
        var format: String
        var pdq: String
        var pdq_quality: Int
        var pdq_dihedral: [String]
        var phash: String
    }

    /// The folder holding `expected.json` and `images/`: `$BLINDFOLD_CONFORMANCE`, else
    /// `../shared/conformance/pdq` next to the repository.
    static let directory: URL? = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["BLINDFOLD_CONFORMANCE"] {
            candidates.append(URL(fileURLWithPath: override))
        }
        candidates.append(TestEnvironment.repository.deletingLastPathComponent().appendingPathComponent("shared/conformance/pdq"))
        candidates.append(URL(fileURLWithPath: "/work/shared/conformance/pdq"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("expected.json").path) }
    }()

    struct Missing: Error, CustomStringConvertible {
        var description: String { "the conformance vectors (../shared/conformance/pdq/expected.json) are not there" }
    }

    /// Every image's relative path (`images/...`) and reference values, sorted by path.
    static func load() throws -> [(path: String, url: URL, expected: Expected)] {
        guard let directory else { throw Missing() }
        let data = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
        let table = try JSONDecoder().decode([String: Expected].self, from: data)
        return table.keys.sorted().compactMap { key in
            guard let expected = table[key] else { return nil }
            return (key, directory.appendingPathComponent(key), expected)
        }
    }

    /// Bits in which two equal-length hex strings differ.
    static func distance(_ a: String, _ b: String) -> Int {
        guard a.count == b.count else { return Int.max }
        return zip(a, b).reduce(0) { total, pair in
            let x = Int(String(pair.0), radix: 16) ?? 0, y = Int(String(pair.1), radix: 16) ?? 0
            return total + (x ^ y).nonzeroBitCount
        }
    }
}
