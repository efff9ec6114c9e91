@testable import BlindfoldFuzz
import Foundation
import Testing

/// Every input under `Fixtures/fuzz/<target>/` goes through its fuzz target's code path, in
/// process and without the fuzzer: an input that once crashed, hung or ran out of memory must
/// now simply pass through. The bodies are the fuzz executable's own (`Tests/Fuzz/`).
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = TestEnvironment.fixtures.appendingPathComponent("fuzz")

    /// Regression inputs as (target, file name) pairs; README files are documentation.
    static let inputs: [(String, String)] = {
        let manager = FileManager.default
        let targets = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
        return targets.sorted().flatMap { target -> [(String, String)] in
            var isDirectory: ObjCBool = false
            let folder = root.appendingPathComponent(target)
            guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
            let files = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            return files.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted().map { (target, $0) }
        }
    }()

    @Test("Target names are unique")
    func namesAreUnique() {
        let names = FuzzTarget.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.contains("image") && names.contains("archive") && names.contains("manifest") && names.contains("hashset"))
    }

    @Test("Every folder under Fixtures/fuzz names a fuzz target")
    func foldersNameTargets() throws {
        #expect(!Self.inputs.isEmpty)
        for (target, _) in Self.inputs {
            #expect(FuzzTarget.named(target) != nil, "Fixtures/fuzz/\(target) names no fuzz target")
        }
    }

    @Test("Each regression input passes through its target", arguments: inputs.map { "\($0.0)/\($0.1)" })
    func passesThrough(_ relative: String) throws {
        let parts = relative.split(separator: "/", maxSplits: 1).map(String.init)
        let target = try #require(FuzzTarget.named(parts[0]))
        let data = try Data(contentsOf: Self.root.appendingPathComponent(relative))
        data.withUnsafeBytes { target.run($0) }
        // The hash-set targets leave their per-process scratch file behind by design (the fuzzer
        // reuses it); a test run should not.
        try? FileManager.default.removeItem(atPath: HashSetTarget.scratchPath)
    }
}
