import Foundation
@testable import KnownHashes
import Testing

/// Issue #13: a hash set that is not a regular file, or an NSRL database whose schema makes a
/// query run forever, is refused at once with one line naming the problem.
@Suite("Hash-set inputs")
struct HashSetInputTests {
    @Test("a FIFO, a directory and a device given as a set are refused at once with exit 2")
    func notRegularFiles() throws {
        let directory = try TemporaryDirectory("set-inputs")
        defer { directory.remove() }
        let fifo = directory.child("set.fifo").path
        #expect(try ProcessRunner.run("/usr/bin/mkfifo", [fifo]).exitCode == 0)
        let evidence = directory.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        for (path, kind) in [(fifo, "a FIFO"), (directory.path, "a directory"), ("/dev/zero", "a character device")] {
            for role in ["--known-bad", "--known-good"] {
                let started = Date()
                let scan = try ProcessRunner.blindfold(["scan", evidence.path, "--out", directory.child("out").path, role, path])
                #expect(scan.exitCode == 2, "\(path): \(scan.stderr)")
                #expect(scan.stderr.contains(kind), "\(scan.stderr)")
                #expect(scan.stderr.split(separator: "\n").count == 1, "\(scan.stderr)")
                #expect(Date().timeIntervalSince(started) < 10)
            }
            let imported = try ProcessRunner.blindfold([
                "hashset", "import", path, "--name", "x", "--role", "known-bad", "-o", directory.child("x.bfhs").path,
            ])
            #expect(imported.exitCode == 2, "\(path): \(imported.stderr)")
            #expect(imported.stderr.contains(kind), "\(imported.stderr)")
        }
        let refused = #expect(throws: HashSetError.self) { try HashSetLoader.load(path: fifo, name: "x", role: .knownBad) }
        #expect(refused?.reason == "is a FIFO, not a regular file")
    }

    @Test("an NSRL database whose FILE is an endless recursive view is refused in seconds")
    func recursiveView() throws {
        let directory = try TemporaryDirectory("nsrl-hostile")
        defer { directory.remove() }
        let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
        let minimal = directory.child("minimal.db").path
        try HashSetFiles.sqlite("""
            CREATE VIEW FILE AS \(endless)SELECT 'a' AS sha256, 'b' AS sha1, 'c' AS md5, 'd' AS crc32 FROM n;
            CREATE VIEW DISTINCT_HASH AS SELECT DISTINCT sha256, sha1, md5, crc32 FROM FILE;
            """, at: minimal)
        let full = directory.child("full.db").path
        try HashSetFiles.sqlite("""
            CREATE VIEW METADATA AS \(endless)SELECT i AS object_id, 'a' AS sha256, 'b' AS sha1, 'c' AS md5 FROM n;
            CREATE TABLE PACKAGE_OBJECT(package_id INTEGER, object_id INTEGER);
            CREATE VIEW FILE AS SELECT * FROM METADATA;
            """, at: full)
        let triggered = directory.child("trigger.db").path
        try HashSetFiles.sqlite(HashSetFormatTests.minimalSchema + """
            CREATE TRIGGER t AFTER INSERT ON MFG BEGIN DELETE FROM MFG; END;
            """, at: triggered)
        for (path, reason) in [(minimal, "FILE is a view"), (full, "METADATA is a view"), (triggered, "triggers")] {
            let started = Date()
            let error = #expect(throws: HashSetError.self) { try HashSetLoader.load(path: path, name: "x", role: .knownGood) }
            #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "")")
            #expect(Date().timeIntervalSince(started) < 5)
            let scan = try ProcessRunner.blindfold(["scan", directory.path, "--out", directory.child("out").path, "--known-good", path])
            #expect(scan.exitCode == 2, "\(scan.stderr)")
        }
    }

    @Test("the SQLite watchdog stops a query that produces no row")
    func watchdog() throws {
        let directory = try TemporaryDirectory("nsrl-watchdog")
        defer { directory.remove() }
        let path = directory.child("empty.db").path
        try HashSetFiles.sqlite("CREATE TABLE t(x);", at: path)
        let database = try SQLiteDatabase(readOnly: path, stallLimit: 1)
        let endless = try database.prepare(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
        let started = Date()
        let error = #expect(throws: HashSetError.self) { _ = try endless.step() }
        #expect(error?.reason.contains("without producing a row") == true, "\(error?.reason ?? "")")
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
