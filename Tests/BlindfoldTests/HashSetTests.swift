import BlindfoldCore
import Foundation
import KnownHashes
import Testing

/// Hash-set parsing and exact matching against hand-computed expectations.
@Suite("Hash sets")
struct HashSetTests {
    // Digests of the ASCII strings "a" and "b", computed by hand with coreutils:
    // printf a | md5sum, printf a | sha1sum, printf a | sha256sum (and the same for b).
    static let md5A = "0cc175b9c0f1b6a831c399e269772661"
    static let sha1A = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8"
    static let sha256A = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    static let sha256B = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"

    static func load(_ text: String, role: HashSetRole = .knownBad, alert: Set<String>? = nil) throws -> any KnownHashSet {
        let directory = try TemporaryDirectory("sets")
        defer { directory.remove() }
        let path = directory.child("set.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try HashSetLoader.load(path: path, name: "set.txt", role: role, vicsAlertCategories: alert)
    }

    static func hashes(md5: String? = nil, sha1: String? = nil, sha256: String? = nil) -> [HashOutput] {
        [("md5", md5), ("sha1", sha1), ("sha256", sha256)].compactMap { key, value in
            value.map { HashOutput(key: key, value: .hex($0)) }
        }
    }

    @Test("the digests used here are what coreutils computes")
    func oracleDigests() throws {
        for (tool, expected) in [("md5sum", Self.md5A), ("sha1sum", Self.sha1A), ("sha256sum", Self.sha256A)] {
            let result = try ProcessRunner.run("/bin/sh", ["-c", "printf a | \(tool)"])
            #expect(result.stdout.hasPrefix(expected))
        }
        #expect(try ProcessRunner.run("/bin/sh", ["-c", "printf b | sha256sum"]).stdout.hasPrefix(Self.sha256B))
    }

    @Test("sha256sum list: text, binary, escaped and upper-case lines, BOM and CRLF")
    func sumListForms() throws {
        let text = "\u{FEFF}\(Self.sha256A)  a.txt\r\n\(Self.sha256B.uppercased()) *b.bin\r\n"
            + "\\\(String(repeating: "0", count: 64))  odd\\\\name\\nline.txt\r\n"
        let set = try Self.load(text)
        #expect(set.info.format == "sha256sum")
        #expect(set.info.entries == 3)
        #expect(set.matches(for: Self.hashes(sha256: Self.sha256A)).count == 1)
        #expect(set.matches(for: Self.hashes(sha256: Self.sha256B)).first?.algorithm == "sha256")
        #expect(set.matches(for: Self.hashes(md5: Self.md5A, sha1: Self.sha1A)).isEmpty)
    }

    @Test("BSD --tag lines and mixed algorithms")
    func taggedAndMixed() throws {
        let set = try Self.load("MD5 (a.txt) = \(Self.md5A)\nSHA1 (a.txt) = \(Self.sha1A)\n")
        #expect(set.info.format == "sum-list")
        let matches = set.matches(for: Self.hashes(md5: Self.md5A, sha1: Self.sha1A, sha256: Self.sha256A))
        #expect(matches.map(\.algorithm) == ["md5", "sha1"])
        #expect(matches.allSatisfy { $0.set == "set.txt" && $0.role == .knownBad })
    }

    @Test("hashdeep: columns, comments, commas in names, case")
    func hashdeep() throws {
        let text = """
            %%%% HASHDEEP-1.0
            %%%% size,md5,sha256,filename
            ## Invoked from: /cases/x
            ## $ hashdeep -r -l evidence
            ##
            1,\(Self.md5A.uppercased()),\(Self.sha256A),evidence/a, with comma.txt
            1,\(String(repeating: "1", count: 32)),\(Self.sha256B),evidence/b.txt

            """
        let set = try Self.load(text, role: .knownGood)
        #expect(set.info.format == "hashdeep")
        #expect(set.info.entries == 2)
        let counts = (set as? ExactHashSet)?.counts
        #expect(counts?[.md5] == 2 && counts?[.sha256] == 2)
        let matches = set.matches(for: Self.hashes(md5: Self.md5A, sha256: Self.sha256A))
        #expect(matches.map(\.algorithm) == ["md5", "sha256"])
        #expect(matches.first?.role == .knownGood)
    }

    @Test("the empty-file digest is listed but never matches")
    func emptyDigestNeverMatches() throws {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let set = try Self.load("\(empty)  empty.dat\n\(Self.sha256A)  a.txt\n")
        #expect(set.info.entries == 2)
        #expect(set.matches(for: Self.hashes(sha256: empty)).isEmpty)
        #expect(set.matches(for: Self.hashes(sha256: Self.sha256A)).count == 1)
    }

    @Test("malformed lines are refused with the file and line number", arguments: [
        ("\(sha256A)  a\n\(sha256B)  b\nnot a checksum line\n", 3),
        ("\(sha256A)  a\n\(String(sha256B.dropLast()))  b\n", 2),
        ("\(sha256A)a\n", 1),
        ("%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n12,\(md5A),x\nabc,\(md5A),y\n", 4),
        ("%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n12,\(String(md5A.dropLast(2))),x\n", 3),
        ("%%%% HASHDEEP-1.0\n%%%% size,crc32,filename\n", 2),
        ("%%%% HASHDEEP-2.0\n", 1),
    ])
    func malformed(_ text: String, line: Int) throws {
        let error = #expect(throws: HashSetError.self) { try Self.load(text) }
        #expect(error?.line == line)
        #expect(error?.description.contains("set.txt:\(line):") == true)
    }

    @Test("an empty set and an unknown format are refused")
    func emptyAndUnknown() throws {
        #expect(throws: HashSetError.self) { try Self.load("\n\n") }
        let unknown = #expect(throws: HashSetError.self) { try Self.load("hello world\n") }
        #expect(unknown?.reason.contains("unrecognised") == true)
        #expect(throws: HashSetError.self) {
            try HashSetLoader.load(path: "/nonexistent/set", name: "x", role: .knownBad)
        }
    }

    @Test("the set's sha256 is the file's sha256sum")
    func setDigest() throws {
        let path = TestEnvironment.hashsets.appendingPathComponent("known-good.sha1").path
        let set = try HashSetLoader.load(path: path, name: "known-good.sha1", role: .knownGood)
        let oracle = try ProcessRunner.run("/usr/bin/env", ["sha256sum", path])
        #expect(oracle.stdout.hasPrefix(set.info.sha256))
        #expect(set.info.format == "sha1sum")
    }
}

@Suite("VICS sets")
struct VICSSetTests {
    static let md5A = HashSetTests.md5A
    static let sha1A = HashSetTests.sha1A
    static let sha256A = HashSetTests.sha256A

    @Test("2.0 #Media: categories, upper-case hex, string values; every category matched, only 1 alerts by default")
    func mediaShape() throws {
        let text = """
            \u{FEFF}{"@odata.context":"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media",
             "value":[
              {"MediaID":1,"Category":1,"MD5":"\(Self.md5A.uppercased())","MediaSize":"1","IsPrecategorized":"true"},
              {"MediaID":2,"Category":"2","SHA1":"\(Self.sha1A)"},
              {"MediaID":3,"Category":0,"MD5":"\(String(repeating: "ab", count: 16))"},
              {"MediaID":4,"Category":null,"MD5":"\(String(repeating: "cd", count: 16))",
               "AlternativeHashes":[{"MD5":"x","HashName":"SHA256","HashValue":"\(Self.sha256A)"}]}]}
            """
        let bad = try HashSetTests.load(text, role: .knownBad)
        #expect(bad.info.format == "vics-2.0")
        #expect(bad.info.entries == 4)
        let one = bad.matches(for: HashSetTests.hashes(md5: Self.md5A))
        #expect(one.map(\.category) == ["1"] && one.map(\.alerts) == [true])
        let two = bad.matches(for: HashSetTests.hashes(sha1: Self.sha1A))
        #expect(two.map(\.category) == ["2"] && two.map(\.alerts) == [false], "category 2 is matched, does not alert by default")
        let none = bad.matches(for: HashSetTests.hashes(sha256: Self.sha256A))
        #expect(none.map(\.category) == [nil] && none.map(\.alerts) == [false], "uncategorised does not alert by default")
        // A Canadian unit's setting: 1, 2 and 3 alert, the same entries match.
        let canada = try HashSetTests.load(text, role: .knownBad, alert: ["1", "2", "3"])
        #expect(canada.matches(for: HashSetTests.hashes(sha1: Self.sha1A)).map(\.alerts) == [true])
        #expect(canada.matches(for: HashSetTests.hashes(sha256: Self.sha256A)).map(\.alerts) == [false])
        let good = try HashSetTests.load(text, role: .knownGood)
        #expect(good.matches(for: HashSetTests.hashes(sha1: Self.sha1A)).map(\.category) == ["2"])
        #expect(good.matches(for: HashSetTests.hashes(sha1: Self.sha1A)).map(\.alerts) == [true], "no alert filter on known-good")
        #expect(good.matches(for: HashSetTests.hashes(sha256: Self.sha256A)).map(\.category) == [nil])
    }

    @Test("1.x #Cases with Media nested in cases, pretty-printed")
    func casesShape() throws {
        let text = """
            {
              "odata.metadata": "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Cases",
              "value": [ { "CaseNumber": "SYN-1", "Media": [ { "MediaID": 7, "Category": 1, "MD5": "\(Self.md5A)" } ] } ]
            }
            """
        let set = try HashSetTests.load(text)
        #expect(set.info.format == "vics-1.x")
        #expect(set.matches(for: HashSetTests.hashes(md5: Self.md5A)).first?.category == "1")
    }

    @Test("bad VICS: not VICS, wrong hash length, no hash")
    func malformed() throws {
        let notVICS = #expect(throws: HashSetError.self) { try HashSetTests.load("{\"value\":[]}") }
        #expect(notVICS?.reason.contains("not a VICS export") == true)
        let context = "\"@odata.context\":\"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media\""
        let short = #expect(throws: HashSetError.self) {
            try HashSetTests.load("{\(context),\"value\":[{\"Category\":1,\"MD5\":\"abc\"}]}")
        }
        #expect(short?.reason.contains("$.value[0].MD5") == true)
        #expect(throws: HashSetError.self) { try HashSetTests.load("{\(context),\"value\":[{\"Category\":1}]}") }
        #expect(throws: HashSetError.self) { try HashSetTests.load("{\(context),\"value\":[") }
    }
}
