import BlindfoldCore
import Evidence
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The hostile-evidence suite in one place: every case in one tree, one scan, one expected
/// record each; then the cases that need timing or size (a growing file, a vanishing file, a
/// sparse 4 GiB file, 100,000 entries in one folder); then proof that scanning leaves the
/// evidence exactly as it was. Other suites test several of these cases in more depth.
@Suite("Hostile evidence")
struct HostileEvidenceTests {
    static func tool(_ name: String) -> String {
        TestEnvironment.repository.appendingPathComponent("Tests/Tools/\(name)").path
    }

    static func members(_ manifest: ParsedManifest, of container: String) -> [[String: Any]] {
        manifest.items.filter { ($0["layers"] as? [[String: Any]])?.first != nil && $0.string("path") == container }
    }

    static func memberName(_ item: [String: Any]) -> String? {
        (item["layers"] as? [[String: Any]])?.last?["member"] as? String
    }

    @Test("One tree of hostile cases, scanned without privileges: every item has its record and the scan completes")
    func hostileTree() throws {
        let work = try TemporaryDirectory("hostile")
        defer { work.remove() }
        let root = work.child("evidence")
        let built = try ProcessRunner.run("/usr/bin/env", ["python3", Self.tool("build_hostile_tree.py"), root.path, TestEnvironment.fixtures.path])
        try #require(built.exitCode == 0, "\(built.stderr)")
        let special = root.appendingPathComponent("special")
        try FileManager.default.createDirectory(at: special, withIntermediateDirectories: true)
        #expect(mkfifo(special.appendingPathComponent("pipe").path, 0o644) == 0)
        let isRoot = getuid() == 0
        // makedev(1, 3) is /dev/null's number (the macro does not import).
        if isRoot { #expect(mknod(special.appendingPathComponent("null-device").path, S_IFCHR | 0o644, (1 << 8) | 3) == 0) }
        try FileManager.default.createSymbolicLink(atPath: special.appendingPathComponent("loop-a").path, withDestinationPath: "loop-b")
        try FileManager.default.createSymbolicLink(atPath: special.appendingPathComponent("loop-b").path, withDestinationPath: "loop-a")
        try FileManager.default.createSymbolicLink(atPath: special.appendingPathComponent("cycle").path, withDestinationPath: "..")
        try Data("locked\n".utf8).write(to: special.appendingPathComponent("locked.txt"))
        chmod(special.appendingPathComponent("locked.txt").path, 0)
        try FileManager.default.createDirectory(at: special.appendingPathComponent("locked-folder"), withIntermediateDirectories: true)
        try Data("inside\n".utf8).write(to: special.appendingPathComponent("locked-folder/inner.txt"))
        chmod(special.appendingPathComponent("locked-folder").path, 0)
        chmod(work.path, 0o777)

        // Unprivileged, so mode 000 means unreadable (root reads everything).
        let output = work.child("out")
        let command = [TestEnvironment.binary.path, "scan", root.path, "--out", output.path, "--item-timeout", "20"]
        let result = isRoot
            ? try ProcessRunner.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"] + command)
            : try ProcessRunner.run(command[0], Array(command.dropFirst()))
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: output)
        #expect(manifest.summary["complete"] as? Bool == true)

        func status(_ path: String) -> String? { manifest.item(path)?.string("status") }
        func pluginError(_ path: String) -> String? { manifest.item(path)?.object("plugin_errors")?.string("pdq") }

        // Bombs: cut at the expansion limit, the container itself hashed.
        let flat = Self.members(manifest, of: "archives/flat-bomb.zip")
        #expect(flat.first { Self.memberName($0) == "zeros.bin" }?.string("status") == "limit")
        #expect(status("archives/flat-bomb.zip") == "limit")
        #expect(manifest.item("archives/flat-bomb.zip")?.object("hashes")?.string("sha256")?.count == 64)
        #expect(status("archives/nested-bomb.zip") == "limit")
        #expect(Self.members(manifest, of: "archives/nested-bomb.zip").contains { $0.string("status") == "limit" })
        // Damaged and encrypted archives.
        #expect(["truncated", "corrupt"].contains(status("archives/truncated.tar.gz") ?? ""))
        #expect(Self.members(manifest, of: "archives/truncated.tar.gz").contains { $0.string("status") == "ok" },
                "members before the damage are kept")
        #expect(Self.members(manifest, of: "archives/corrupt.zip").contains { $0.string("status") == "corrupt" })
        #expect(Self.members(manifest, of: "archives/encrypted.zip").first?.string("status") == "encrypted")
        // Member names are data: recorded as stored, nothing written anywhere.
        let tricks = Self.members(manifest, of: "archives/tricks.tar").compactMap(Self.memberName)
        #expect(tricks.contains("../../escape.txt") && tricks.contains("/absolute/path.txt"))
        #expect(tricks.contains("bad-\\xff\\xfe-name.txt"), "\(tricks)")
        #expect(tricks.filter { $0 == "dup.txt" }.count == 2)
        #expect(!FileManager.default.fileExists(atPath: work.child("escape.txt").path))
        // Images: decoder bombs and damage cost the PDQ hash only.
        #expect(pluginError("images/hostile/huge-dimensions.jpg")?.hasPrefix("limit: ") == true)
        #expect(pluginError("images/hostile/truncated.png")?.hasPrefix("truncated: ") == true)
        #expect(pluginError("images/hostile/truncated.jpg")?.hasPrefix("truncated: ") == true)
        #expect(pluginError("images/hostile/no-frames.gif")?.hasPrefix("corrupt: ") == true)
        #expect(manifest.item("images/formats/pattern.png")?.object("hashes")?.string("pdq")?.count == 64)
        // Special files and links: recorded, never opened or followed.
        #expect(status("special/pipe") == "not-opened")
        if isRoot { #expect(manifest.item("special/null-device")?.string("kind") == "char-device") }
        for link in ["special/loop-a", "special/loop-b", "special/cycle"] {
            #expect(manifest.item(link)?.string("kind") == "symlink" && status(link) == "not-opened", "\(link)")
        }
        if isRoot {
            #expect(status("special/locked.txt") == "unreadable")
            #expect(manifest.item("special/locked-folder")?.string("kind") == "directory")
            #expect(status("special/locked-folder") == "unreadable")
        }
        // Names that are not UTF-8 keep their bytes; paths deeper than PATH_MAX are read.
        let odd = try #require(manifest.items.first { $0.string("path") == "name-\\xff\\xfe.bin" })
        #expect(odd.string("path_b64") == Data("name-".utf8 + [0xFF, 0xFE] + ".bin".utf8).base64EncodedString())
        let deep = try #require(manifest.items.first { $0.string("path")?.hasSuffix("/deep-leaf.txt") == true })
        #expect((deep.string("path")?.utf8.count ?? 0) > 4096)
        #expect(deep.string("status") == "ok")
        #expect(deep.object("hashes")?.string("sha256") == "4153435901cfaccc61d5b6709c20561bb90a12f94def24345ccd44282ccb6a6d")
        // Nothing unexamined is invisible: one record per object in the tree.
        let listed = try ProcessRunner.run("/bin/sh", ["-c", "cd '\(root.path)' && find . -mindepth 1 ! -type d | wc -l"])
        let files = Int(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(manifest.topLevelItems.filter { $0.string("kind") != "directory" }.count == files - (isRoot ? 1 : 0),
                "one record per file (the file inside the locked folder cannot be listed)")
    }

    @Test("A sparse 4 GiB file hashes as sha256sum does while another file grows and a third vanishes")
    func sparseGrowingVanishing() throws {
        let work = try TemporaryDirectory("hostile-timing")
        defer { work.remove() }
        let root = work.child("evidence")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let sparse = root.appendingPathComponent("0-sparse.img").path
        // 4 GiB with data at the start, in the middle and at the end: holes read as zeros.
        let made = try ProcessRunner.run("/bin/sh", ["-c", """
            truncate -s 4G '\(sparse)' && printf 'start' | dd of='\(sparse)' conv=notrunc status=none && \
            printf 'middle' | dd of='\(sparse)' bs=1 seek=2147483648 conv=notrunc status=none && \
            printf 'end' | dd of='\(sparse)' bs=1 seek=4294967290 conv=notrunc status=none
            """])
        try #require(made.exitCode == 0, "\(made.stderr)")
        let growing = root.appendingPathComponent("1-growing.log")
        try Data(repeating: 0x61, count: 64 << 20).write(to: growing)
        let vanishing = root.appendingPathComponent("2-vanishing.txt")
        try Data("here at listing time\n".utf8).write(to: vanishing)

        // A writer appends to the growing file while the scan runs; the vanishing file is
        // removed while the sparse file (read first, one job) is still being hashed.
        let writer = Thread {
            guard let handle = try? FileHandle(forWritingTo: growing) else { return }
            handle.seekToEndOfFile()
            let started = Date()
            while Date().timeIntervalSince(started) < 8 {
                handle.write(Data(repeating: 0x62, count: 4096))
                usleep(2000)
            }
            try? handle.close()
        }
        let remover = Thread {
            usleep(700_000)
            try? FileManager.default.removeItem(at: vanishing)
        }
        writer.start()
        remover.start()
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", work.child("out").path, "--jobs", "1", "--io-jobs", "1"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        while writer.isExecuting || remover.isExecuting { usleep(100_000) }
        let manifest = try ParsedManifest(directory: work.child("out"))

        let expected = try ProcessRunner.run("/usr/bin/sha256sum", [sparse]).stdout.prefix(64)
        #expect(manifest.item("0-sparse.img")?.object("hashes")?.string("sha256") == String(expected))
        #expect(manifest.item("0-sparse.img")?.int("size") == 4 << 30)

        let grown = try #require(manifest.item("1-growing.log"))
        #expect(grown.string("status") == "ok")
        let size = try #require(grown.int("size"))
        #expect(size >= 64 << 20)
        // The digest covers exactly the bytes read: the file's first `size` bytes.
        let prefix = try ProcessRunner.run("/bin/sh", ["-c", "head -c \(size) '\(growing.path)' | sha256sum"]).stdout.prefix(64)
        #expect(grown.object("hashes")?.string("sha256") == String(prefix))

        #expect(manifest.item("2-vanishing.txt")?.string("status") == "vanished")
        #expect(manifest.items.count == 3)
    }

    @Test("100,000 entries in one folder: one record each, in byte order")
    func hundredThousandEntries() throws {
        let work = try TemporaryDirectory("hostile-wide")
        defer { work.remove() }
        let root = work.child("evidence")
        let made = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", """
            import os, sys
            root = sys.argv[1]
            os.makedirs(root)
            for i in range(100000):
                with open(os.path.join(root, "f%06d" % i), "wb") as f:
                    f.write(b"%d" % (i % 7))
            """, root.path])
        try #require(made.exitCode == 0, "\(made.stderr)")
        let result = try ProcessRunner.blindfold(["scan", root.path, "--out", work.child("out").path, "--no-sniff"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: work.child("out"))
        #expect(manifest.items.count == 100_000)
        #expect(manifest.items.first?.string("path") == "f000000")
        #expect(manifest.items.last?.string("path") == "f099999")
        #expect(manifest.items.allSatisfy { $0.string("status") == "ok" })
    }

    @Test("Scanning leaves every evidence file's content, size, mode and times (atime too) as they were, and writes nothing inside the roots")
    func evidenceUntouched() throws {
        let work = try TemporaryDirectory("untouched")
        defer { work.remove() }
        let root = work.child("evidence")
        let copied = try ProcessRunner.run("/bin/sh", ["-c", """
            mkdir -p '\(root.path)' && cp -a '\(TestEnvironment.evidence.path)' '\(root.path)/tree' && \
            cp -a '\(TestEnvironment.fixtures.path)/images' '\(root.path)/images' && \
            python3 -c "
            import os, sys
            # atime one second before mtime: any read that is not O_NOATIME moves it (relatime).
            for d, _, fs in os.walk(sys.argv[1]):
                for f in fs:
                    p = os.path.join(d, f); st = os.lstat(p)
                    os.utime(p, ns=(st.st_mtime_ns - 10**9, st.st_mtime_ns), follow_symlinks=False)
            " '\(root.path)'
            """])
        try #require(copied.exitCode == 0, "\(copied.stderr)")
        func listing() throws -> String {
            let listed = try ProcessRunner.run("/usr/bin/env", ["python3", Self.tool("evidence_listing.py"), root.path])
            #expect(listed.exitCode == 0, "\(listed.stderr)")
            return listed.stdout
        }
        let before = try listing()
        let result = try ProcessRunner.blindfold(
            ["scan", root.path, "--out", work.child("out").path, "--phash", "--pdq-dihedral"] + TestEnvironment.fixtureSetArguments)
        #expect(result.exitCode == 1, "the fixtures hold known-bad files")
        let triage = try ProcessRunner.blindfold(
            ["triage", root.path, "--out", work.child("triage").path] + TestEnvironment.fixtureSetArguments)
        #expect(triage.exitCode == 1)
        let after = try listing()
        #expect(before.split(separator: "\n").count > 20)
        #expect(before == after, "the evidence changed")
    }

    @Test("A folder swapped for a symbolic link after it was listed is never read through")
    func swappedFolderIsNotFollowed() throws {
        let work = try TemporaryDirectory("swap")
        defer { work.remove() }
        let folder = work.child("evidence/A")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("f.txt")
        try Data("inside\n".utf8).write(to: file)
        let path = PathBytes(Array(file.path.utf8))
        let listed = try FileStat.of(path).get()
        #expect((try? EvidenceFile(path: path, expected: listed)) != nil, "readable before the swap")
        // The folder is moved away and a link to it takes its place: same file, same inode,
        // but reached through a symbolic link, which an evidence path never contains.
        #expect(rename(folder.path, work.child("evidence/A.moved").path) == 0)
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: "A.moved")
        #expect(throws: ItemReadError.self) { _ = try EvidenceFile(path: path, expected: listed) }
    }
}
