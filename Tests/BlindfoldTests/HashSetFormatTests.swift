import BlindfoldCore
import Foundation
@testable import KnownHashes
import Signals
import Testing

/// Each source format parsed from small synthetic files written per FORMATS.md, with counts and
/// categories computed by hand.
@Suite("Hash-set formats")
struct HashSetFormatTests {
    static let sha1A = HashSetTests.sha1A
    static let md5A = HashSetTests.md5A
    static let sha256A = HashSetTests.sha256A
    static let sha1B = "e9d71f5ee7c92d6dc9e92ffdad17b8bd49418f98"  // printf b | sha1sum
    static let md5B = "92eb5ffee6ae2fec3ad71c777531578f"  // printf b | md5sum

    @Test("NSRL 2.x NSRLFile.txt: quoted names with commas, CRLF, SpecialCode as category")
    func nsrlText() throws {
        let text = "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\r\n"
            + "\"\(Self.sha1A.uppercased())\",\"\(Self.md5A.uppercased())\",\"1A2B3C4D\",\"setup, part 1.exe\",48213,4711,\"189\",\"\"\r\n"
            + "\"\(Self.sha1B.uppercased())\",\"\(Self.md5B.uppercased())\",\"00000000\",\"a \"\"quoted\"\" name.dll\",17,4711,\"189\",\"M\"\r\n"
            + "\"\(Self.sha1A.uppercased())\",\"\(Self.md5A.uppercased())\",\"1A2B3C4D\",\"copy.exe\",48213,4712,\"189\",\"\"\r\n"
        let set = try HashSetFiles.load(text, name: "NSRLFile.txt", role: .knownGood)
        #expect(set.info.format == "nsrl-rds2")
        #expect(set.info.entries == 3)
        #expect((set as? ExactHashSet)?.counts == [.sha1: 2, .md5: 2])
        #expect(set.matches(for: HashSetFiles.hashes(sha1: Self.sha1A)).map(\.category) == [nil])
        #expect(set.matches(for: HashSetFiles.hashes(md5: Self.md5B, sha1: Self.sha1B)).map(\.category) == ["M", "M"])
    }

    @Test("NSRL 2.x: a short SHA-1 and an unclosed quote are refused with the line")
    func nsrlTextMalformed() throws {
        let header = "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\",\"OpSystemCode\",\"SpecialCode\"\n"
        let short = #expect(throws: HashSetError.self) {
            try HashSetFiles.load(header + "\"\(Self.sha1A.dropLast())\",\"\(Self.md5A)\",\"0\",\"x\",1,1,\"1\",\"\"\n")
        }
        #expect(short?.line == 2 && short?.reason.contains("SHA-1") == true)
        let open = #expect(throws: HashSetError.self) {
            try HashSetFiles.load(header + "\"\(Self.sha1A)\",\"\(Self.md5A)\",\"0\",\"x,1,1,\"1\",\"\"\n\"\(Self.sha1A)\"\n")
        }
        #expect(open?.line == 2)
    }

    static let minimalSchema = """
        CREATE TABLE FILE(sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL,
          crc32 VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL,
          package_id INTEGER NOT NULL,
          PRIMARY KEY(sha256, sha1, md5, crc32, file_name, file_size, package_id));
        CREATE VIEW DISTINCT_HASH AS SELECT DISTINCT sha256, sha1, md5, crc32 FROM FILE;
        CREATE TABLE PKG(package_id INTEGER, name VARCHAR, version VARCHAR, operating_system_id INTEGER,
          manufacturer_id INTEGER, language VARCHAR, application_type VARCHAR);
        CREATE TABLE OS(operating_system_id INTEGER, name VARCHAR, version VARCHAR, manufacturer_id INTEGER);
        CREATE TABLE MFG(manufacturer_id INTEGER, name VARCHAR);
        CREATE TABLE VERSION(version VARCHAR, build_set VARCHAR, build_date VARCHAR, release_date VARCHAR, description VARCHAR);
        INSERT INTO VERSION VALUES('2099.01.1','modern','2099-01-01','2099-01-02','synthetic minimal');
        """

    @Test("NSRL RDSv3 minimal: DISTINCT_HASH read, upper-case hex, one entry per distinct hash tuple")
    func nsrlMinimal() throws {
        let directory = try TemporaryDirectory("nsrl")
        defer { directory.remove() }
        let path = directory.child("RDS_2099.01.1_modern_minimal.db").path
        try HashSetFiles.sqlite(Self.minimalSchema + """
            INSERT INTO FILE VALUES ('\(Self.sha256A.uppercased())','\(Self.sha1A.uppercased())','\(Self.md5A.uppercased())','4444AAAA','a.dll',1,101);
            INSERT INTO FILE VALUES ('\(Self.sha256A.uppercased())','\(Self.sha1A.uppercased())','\(Self.md5A.uppercased())','4444AAAA','a.dll',1,102);
            INSERT INTO FILE VALUES ('\(String(repeating: "1", count: 64))','\(Self.sha1B.uppercased())','\(Self.md5B.uppercased())','4444BBBB','b.dll',1,101);
            """, at: path)
        let set = try HashSetLoader.load(path: path, name: "nsrl", role: .knownGood)
        #expect(set.info.format == "nsrl-rds3-minimal")
        #expect(set.info.entries == 2)
        #expect((set as? ExactHashSet)?.counts == [.sha1: 2, .md5: 2, .sha256: 2])
        #expect(set.matches(for: HashSetFiles.hashes(md5: Self.md5A, sha1: Self.sha1A, sha256: Self.sha256A)).map(\.algorithm)
            == ["md5", "sha1", "sha256"])
        let oracle = try ProcessRunner.run("/usr/bin/env", ["sha256sum", path])
        #expect(oracle.stdout.hasPrefix(set.info.sha256))

        let index = directory.child("nsrl.bfhs").path
        let summary = try HashSetImporter.run(source: path, name: "nsrl", role: .knownGood, output: index, toolVersion: "test")
        #expect(summary.metadata.sourceVersion == "2099.01.1 modern 2099-01-01 2099-01-02 synthetic minimal")
        #expect(summary.counts == ["md5": 2, "sha1": 2, "sha256": 2])
    }

    @Test("NSRL RDSv3 full: the FILE view over METADATA and PACKAGE_OBJECT, duplicates per package")
    func nsrlFull() throws {
        let directory = try TemporaryDirectory("nsrl")
        defer { directory.remove() }
        let path = directory.child("RDS_2099.01.1_modern.db").path
        try HashSetFiles.sqlite("""
            CREATE TABLE METADATA(object_id INTEGER PRIMARY KEY, file_name VARCHAR, extension VARCHAR, bytes INTEGER,
              crc32 VARCHAR, md5 VARCHAR, sha1 VARCHAR, sha256 VARCHAR);
            CREATE TABLE PACKAGE_OBJECT(package_id INTEGER, object_id INTEGER);
            CREATE TABLE VERSION(version VARCHAR, build_set VARCHAR, build_date VARCHAR, release_date VARCHAR, description VARCHAR);
            CREATE VIEW FILE AS SELECT upper(m.sha256) AS sha256, upper(m.sha1) AS sha1, upper(m.md5) AS md5,
              upper(m.crc32) AS crc32, m.file_name || '.' || m.extension AS file_name, m.bytes AS file_size,
              p.package_id AS package_id FROM METADATA m JOIN PACKAGE_OBJECT p ON m.object_id = p.object_id;
            INSERT INTO METADATA VALUES (1,'a','dll',1,'4444aaaa','\(Self.md5A)','\(Self.sha1A)','\(Self.sha256A)');
            INSERT INTO METADATA VALUES (2,'b','dll',1,'4444bbbb','\(Self.md5B)','\(Self.sha1B)','\(String(repeating: "2", count: 64))');
            INSERT INTO PACKAGE_OBJECT VALUES (101,1),(102,1),(101,2);
            """, at: path)
        let set = try HashSetLoader.load(path: path, name: "nsrl", role: .knownGood)
        #expect(set.info.format == "nsrl-rds3-full")
        #expect(set.info.entries == 3)
        #expect((set as? ExactHashSet)?.counts == [.sha1: 2, .md5: 2, .sha256: 2])
        #expect(set.matches(for: HashSetFiles.hashes(sha1: Self.sha1B)).count == 1)
    }

    @Test("an SQLite database that is not NSRL, and a malformed NSRL row, are refused")
    func nsrlRefused() throws {
        let directory = try TemporaryDirectory("nsrl")
        defer { directory.remove() }
        let other = directory.child("other.db").path
        try HashSetFiles.sqlite("CREATE TABLE t(x);", at: other)
        let notNSRL = #expect(throws: HashSetError.self) { try HashSetLoader.load(path: other, name: "x", role: .knownGood) }
        #expect(notNSRL?.reason.contains("not an NSRL RDSv3 database") == true)
        let bad = directory.child("bad.db").path
        try HashSetFiles.sqlite(Self.minimalSchema + """
            INSERT INTO FILE VALUES ('\(Self.sha256A)','\(Self.sha1A)','\(Self.md5A)','0','a',1,1);
            INSERT INTO FILE VALUES ('\(Self.sha256A)','XYZ','\(Self.md5A)','0','a',1,1);
            """, at: bad)
        let row = #expect(throws: HashSetError.self) { try HashSetLoader.load(path: bad, name: "x", role: .knownGood) }
        #expect(row?.reason.contains("row 2: sha1 is not 40 hex digits") == true)
    }

    @Test("CAID (VICS 1.2 #Media, MediaSize as a string): detected as VICS, named caid with --format caid")
    func caid() throws {
        let text = """
            {"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media",
             "value":[
            {"MediaID":1,"MD5":"\(Self.md5A.uppercased())","SHA1":"\(Self.sha1A.uppercased())","MediaSize":"2048","MediaFiles":[{"FileName":"x1.png"}]},
            {"MediaID":2,"MD5":"\(Self.md5B.uppercased())","SHA1":"\(Self.sha1B.uppercased())","MediaSize":"17","MediaFiles":[{"FileName":"x2.png"}]}
            ]}
            """
        let detected = try HashSetFiles.load(text, name: "caid.json", role: .knownGood)
        #expect(detected.info.format == "vics-1.x")
        let named = try HashSetFiles.load(text, name: "caid.json", role: .knownGood, format: .caid)
        #expect(named.info.format == "caid")
        #expect(named.info.entries == 2)
        #expect(named.matches(for: HashSetFiles.hashes(md5: Self.md5B, sha1: Self.sha1B)).count == 2)
    }

    @Test("VICS streamed: thousands of entries, Series kept, PDQ from AlternativeHashes, JSON paths in errors")
    func vicsStreamed() throws {
        var text = "{\"@odata.context\":\"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Cases\","
            + "\"value\":[{\"CaseNumber\":\"SYN-1\",\"Media\":["
        var generator = SeededGenerator(seed: 7)
        let pdq = PDQHash.random(using: &generator)
        for number in 0..<5000 {
            let md5 = String(format: "%032x", number)
            text += number == 0 ? "" : ","
            text += "{\"MediaID\":\(number),\"Category\":\(number % 3),\"MD5\":\"\(md5)\",\"Series\":\"S\\u00e9rie \\\"\(number % 2)\\\"\","
                + "\"MediaFiles\":[{\"FileName\":\"x\\\\y.jpg\",\"Deleted\":false}],\"Exifs\":[],\"IsDistributed\":\"true\"}"
        }
        text += ",{\"MediaID\":9999,\"Category\":1,\"AlternativeHashes\":[{\"HashName\":\"PDQ\",\"HashValue\":\"\(pdq.hex)\"}]}"
        text += "]}]}"
        let set = try HashSetFiles.load(text, name: "vics.json")
        #expect(set.info.format == "vics-2.0")
        #expect(set.info.entries == 5001)
        // Every entry is kept (categories 0, 1 and 2); only category 1 alerts.
        let composite = try #require((set as? CategoryAlertSet)?.base as? CompositeHashSet)
        #expect((composite.parts.first as? ExactHashSet)?.counts == [.md5: 5000])
        #expect(set.matches(for: HashSetFiles.hashes(md5: String(format: "%032x", 4))).map(\.category) == ["1"])
        let zero = set.matches(for: HashSetFiles.hashes(md5: String(format: "%032x", 3)))
        #expect(zero.map(\.category) == ["0"] && zero.map(\.alerts) == [false])
        #expect(set.matches(for: HashSetFiles.pdq(pdq.flipping([3, 100]))).map(\.distance) == [2])

        let context = "\"@odata.context\":\"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media\""
        let deep = #expect(throws: HashSetError.self) {
            try HashSetFiles.load("{\(context),\"value\":[{\"MD5\":\"\(Self.md5A)\"},{\"MD5\":\"\(Self.md5B)\"},{\"Category\":1,\"SHA1\":\"abc\"}]}")
        }
        #expect(deep?.reason.hasPrefix("$.value[2].SHA1:") == true)
        let truncated = #expect(throws: HashSetError.self) {
            try HashSetFiles.load("{\(context),\"value\":[{\"MD5\":\"\(Self.md5A)\",\"MediaFiles\":[{\"FileName\":\"a")
        }
        #expect(truncated?.reason.hasPrefix("$.value[0].MediaFiles[0].FileName:") == true)
        #expect(truncated?.description.contains("\"a") == false)
        let trailing = #expect(throws: HashSetError.self) { try HashSetFiles.load("{\(context),\"value\":[]} x") }
        #expect(trailing?.reason.contains("after the end") == true)
    }

    @Test("PDQ lists: every shape, quality, categories and tags; other signal types skipped")
    func pdqLists() throws {
        var generator = SeededGenerator(seed: 11)
        let hashes = (0..<6).map { _ in PDQHash.random(using: &generator) }
        let exchange = "pdq \(hashes[0].hex)\nvideo_md5 \(Self.md5A)\n# comment\n\n\(hashes[1].hex.uppercased())\n"
        let plain = try HashSetFiles.load(exchange, name: "signals.txt")
        #expect(plain.info.format == "pdq-list")
        #expect(plain.info.entries == 2)
        #expect(plain.matches(for: HashSetFiles.pdq(hashes[1])).map(\.distance) == [0])

        let hasher = "\(hashes[2].hex),87,a,b.jpg\n\(hashes[3].hex),40,c.jpg\nhash=\(hashes[4].hex),norm=128,delta=0,quality=100,filename=d.jpg\n"
        let scored = try HashSetFiles.load(hasher, name: "hasher.txt")
        #expect(scored.info.entries == 3)
        #expect(scored.matches(for: HashSetFiles.pdq(hashes[2])).count == 1)
        #expect(scored.matches(for: HashSetFiles.pdq(hashes[3])).isEmpty, "entry quality 40 is below the floor of 50")
        #expect(scored.matches(for: HashSetFiles.pdq(hashes[4])).count == 1)

        let csv = "signal_type,signal_str,collab,category,tags\npdq,\(hashes[5].hex),c1,adult,tag1 tag2\nvideo_md5,\(Self.md5A),c1,x,\n"
        let categorised = try HashSetFiles.load(csv, name: "dataset.csv")
        #expect(categorised.info.entries == 1)
        #expect(categorised.matches(for: HashSetFiles.pdq(hashes[5])).map(\.category) == ["adult"])

        let cache = "\(hashes[0].hex),1234567890123,2099-01-01T00:00:00,tagA\n"
        #expect(try HashSetFiles.load(cache, name: "simple.PDQ.te").info.entries == 1)

        let bad = #expect(throws: HashSetError.self) { try HashSetFiles.load("pdq \(hashes[0].hex)\npdq 1234\n") }
        #expect(bad?.line == 2)
        let quality = #expect(throws: HashSetError.self) {
            try HashSetFiles.load("hash=\(hashes[0].hex),quality=101,filename=x\n")
        }
        #expect(quality?.line == 1)
    }

    @Test("--format overrides detection")
    func formatOverride() throws {
        let line = "\(Self.sha256A)  a.txt\n"
        let error = #expect(throws: HashSetError.self) { try HashSetFiles.load(line, format: .pdq) }
        #expect(error?.line == 1)
        #expect(try HashSetFiles.load(line, format: .sum).info.format == "sha256sum")
    }
}
