import BlindfoldCore
import Evidence
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Special cases git cannot hold, made in a temporary directory: each yields exactly one record
/// with the right kind and status, and the scan completes.
@Suite("Special files")
struct SpecialFileTests {
    /// Builds a tree with a FIFO, a socket, a device, links (one looping), a non-UTF-8 name,
    /// an excluded file and an ordinary file.
    static func makeTree(in root: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("plain file\n".utf8).write(to: root.appendingPathComponent("plain.txt"))
        #expect(mkfifo(root.appendingPathComponent("pipe").path, 0o644) == 0)
        try makeSocket(at: root.appendingPathComponent("sock").path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("link-a").path, withDestinationPath: "link-b")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("link-b").path, withDestinationPath: "link-a")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("sub/up").path, withDestinationPath: "..")
        try Data("skip me\n".utf8).write(to: root.appendingPathComponent("sub/skip.tmp"))
        // A name that is not valid UTF-8: "caf\xe9.txt" (Latin-1), plus a raw 0xff byte.
        let rawName = PathBytes(Array(root.appendingPathComponent("sub").path.utf8) + Array("/caf".utf8) + [0xE9, 0xFF]
            + Array(".txt".utf8))
        let fd = rawName.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        #expect(fd >= 0)
        _ = "latin-1 name\n".withCString { write(fd, $0, 13) }
        close(fd)
    }

    static func makeSocket(at path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(rc == 0, "bind failed: \(errno)")
    }

    @Test("FIFO, socket, device, symlinks, loops, non-UTF-8 names and excludes: one record each")
    func specialFilesAreRecorded() throws {
        let workspace = try TemporaryDirectory("special")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try Self.makeTree(in: root)
        let output = workspace.child("out")
        // /dev/null as a second root: a character device, recorded and never opened.
        let result = try ProcessRunner.blindfold([
            "scan", root.path, "/dev/null", "--out", output.path, "--exclude", "*.tmp",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: output)
        func record(_ path: String, root: Int = 0) -> [String: Any]? {
            manifest.items.first { $0.string("path") == path && $0.int("root") == root }
        }
        let expectations: [(String, Int, String, String)] = [
            ("plain.txt", 0, "file", "ok"),
            ("pipe", 0, "fifo", "not-opened"),
            ("sock", 0, "socket", "not-opened"),
            ("link-a", 0, "symlink", "not-opened"),
            ("link-b", 0, "symlink", "not-opened"),
            ("sub/up", 0, "symlink", "not-opened"),
            ("sub/skip.tmp", 0, "file", "skipped"),
            ("null", 1, "char-device", "not-opened"),
        ]
        for (path, rootIndex, kind, status) in expectations {
            let item = try #require(record(path, root: rootIndex), "no record for \(path)")
            #expect(item.string("kind") == kind, "kind of \(path)")
            #expect(item.string("status") == status, "status of \(path)")
            if status != "ok" { #expect(item.string("reason")?.isEmpty == false) }
        }
        #expect(record("link-a")?.string("target") == "link-b")
        #expect(record("sub/up")?.string("target") == "..")
        #expect(record("sub/skip.tmp")?.object("hashes") == nil, "excluded items are not read")

        // The non-UTF-8 name: escaped for reading, exact bytes in path_b64.
        let latin = try #require(manifest.items.first { $0.string("path_b64") != nil })
        #expect(latin.string("path") == "sub/caf\\xe9\\xff.txt")
        let decoded = try #require(Data(base64Encoded: latin.string("path_b64") ?? ""))
        #expect(Array(decoded) == Array("sub/caf".utf8) + [0xE9, 0xFF] + Array(".txt".utf8))
        #expect(latin.string("status") == "ok")
        let oracle = try ProcessRunner.run("/bin/sh", ["-c", "cat '\(root.path)'/sub/caf*.txt | sha256sum"])
        #expect(latin.object("hashes")?.string("sha256") == String(oracle.stdout.prefix(64)))

        // Exactly one record per object: 8 objects in the tree (sub itself gets none) + /dev/null.
        #expect(manifest.items.count == 9)
        #expect(manifest.summary["complete"] as? Bool == true)
    }

    @Test("an unreadable file and folder are recorded as unreadable when scanning without privileges")
    func unreadableItems() throws {
        let workspace = try TemporaryDirectory("unreadable")
        defer { workspace.remove() }
        let root = workspace.child("evidence")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("locked"), withIntermediateDirectories: true)
        try Data("readable\n".utf8).write(to: root.appendingPathComponent("open.txt"))
        try Data("secret\n".utf8).write(to: root.appendingPathComponent("closed.txt"))
        try Data("inside\n".utf8).write(to: root.appendingPathComponent("locked/inner.txt"))
        chmod(root.appendingPathComponent("closed.txt").path, 0)
        chmod(root.appendingPathComponent("locked").path, 0)
        chmod(workspace.path, 0o777)
        chmod(root.path, 0o755)
        let output = workspace.child("out")
        // Root reads mode-000 files, so the scan runs as 'nobody' (setpriv drops every privilege).
        let result = try ProcessRunner.run("/usr/bin/setpriv", [
            "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            TestEnvironment.binary.path, "scan", root.path, "--out", output.path,
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: output)
        #expect(manifest.items.count == 3)
        #expect(manifest.item("open.txt")?.string("status") == "ok")
        let closed = try #require(manifest.item("closed.txt"))
        #expect(closed.string("status") == "unreadable")
        #expect(closed.string("reason")?.contains("Permission denied") == true)
        #expect(closed.object("hashes") == nil)
        let locked = try #require(manifest.item("locked"))
        #expect(locked.string("kind") == "directory")
        #expect(locked.string("status") == "unreadable")
    }

    @Test("a file that vanishes or is replaced between listing and opening is recorded as vanished")
    func vanishedAndReplaced() throws {
        let workspace = try TemporaryDirectory("vanish")
        defer { workspace.remove() }
        let path = workspace.child("evidence.bin").path
        try Data("original".utf8).write(to: URL(fileURLWithPath: path))
        let listed = try FileStat.of(PathBytes(path)).get()
        // Replaced: same name, another inode (made while the original still exists, so the
        // file system cannot hand the freed inode number straight back).
        try Data("impostor".utf8).write(to: URL(fileURLWithPath: workspace.child("other").path))
        #expect(rename(workspace.child("other").path, path) == 0)
        let replaced = #expect(throws: ItemReadError.self) { _ = try EvidenceFile(path: PathBytes(path), expected: listed) }
        #expect(replaced?.status == .vanished)
        // Gone.
        try FileManager.default.removeItem(atPath: path)
        let gone = #expect(throws: ItemReadError.self) { _ = try EvidenceFile(path: PathBytes(path), expected: listed) }
        #expect(gone?.status == .vanished)
        // Replaced by a symbolic link: O_NOFOLLOW refuses it.
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/etc/hostname")
        let link = #expect(throws: ItemReadError.self) { _ = try EvidenceFile(path: PathBytes(path), expected: listed) }
        #expect(link?.status == .vanished)
    }

    @Test("a file replaced by a FIFO between listing and opening never blocks the scan")
    func fifoNeverBlocks() throws {
        // Opening goes through O_NONBLOCK and checks the type after open: prove the building
        // block directly, since the race itself cannot be timed from outside.
        let workspace = try TemporaryDirectory("fifo-race")
        defer { workspace.remove() }
        let pipe = workspace.child("pipe").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let started = Date()
        #expect(throws: ItemReadError.self) {
            _ = try EvidenceFile(path: PathBytes(pipe), expected: nil)
        }
        #expect(Date().timeIntervalSince(started) < 2)
    }
}

/// Mount points under /dev (shm, pts) give a real "other file system" case without mounting anything.
@Suite("File system boundaries")
struct FileSystemBoundaryTests {
    static let devMounts: [String] = {
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return [] }
        return mounts.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 1, fields[1].hasPrefix("/dev/"), !fields[1].dropFirst(5).contains("/") else { return nil }
            return String(fields[1].dropFirst(5))
        }
    }()

    @Test("directories on another file system are recorded as skipped unless --cross-filesystems",
          .enabled(if: !devMounts.isEmpty, "no mount point directly under /dev on this machine"))
    func otherFileSystemsAreNotEntered() throws {
        let workspace = try TemporaryDirectory("xdev")
        defer { workspace.remove() }
        // /dev holds devices (never opened), links (never followed) and mount points.
        let result = try ProcessRunner.blindfold(["scan", "/dev", "--out", workspace.child("out").path, "--plugins", "sha256"])
        #expect([0, 1].contains(result.exitCode), "\(result.stderr)")
        let manifest = try ParsedManifest(directory: workspace.child("out"))
        for mount in Self.devMounts {
            let record = try #require(manifest.item(mount), "no record for /dev/\(mount)")
            #expect(record.string("kind") == "directory")
            #expect(record.string("status") == "skipped")
            #expect(record.string("reason")?.contains("another file system") == true)
            #expect(!manifest.items.contains { ($0.string("path") ?? "").hasPrefix(mount + "/") })
        }
        #expect(manifest.items.allSatisfy { $0.string("kind") == "file" || $0.object("hashes") == nil },
                "devices and links are never read")
        let crossed = try ProcessRunner.blindfold([
            "scan", "/dev", "--out", workspace.child("out2").path, "--plugins", "sha256", "--cross-filesystems",
        ])
        #expect([0, 1].contains(crossed.exitCode))
        let entered = try ParsedManifest(directory: workspace.child("out2"))
        for mount in Self.devMounts {
            #expect(entered.item(mount)?.string("status") != "skipped")
        }
    }
}
