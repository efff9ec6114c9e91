import BlindfoldCore
import Evidence
import Foundation
import Testing
@testable import Isolation

#if canImport(Glibc)
import Glibc
#endif

/// The Sleuth Kit runs in container workers: a worker reads an image through the read-only
/// descriptor the scanner hands it (never a path), its records are the in-process ones, and a
/// crash, a hang or a memory blow-up inside one partition costs that file system: the image
/// says what happened, and a fresh worker goes on with the next partition.
@Suite("Disk image isolation")
struct DiskImageIsolationTests {
    static let crash = "BLINDFOLD-FAULT-CRASH"
    static let hang = "BLINDFOLD-FAULT-HANG"
    static let memory = "BLINDFOLD-FAULT-MEMORY"

    /// A scan of `evidence` with fault injection on, one job, and `extra` options.
    static func faultScan(_ evidence: URL, out: URL, _ extra: [String], onStart: ((Process) -> Void)? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["BLINDFOLD_WORKER_FAULTS"] = "1"
        return try ProcessRunner.run(
            TestEnvironment.binary.path,
            ["scan", evidence.path, "--out", out.path, "--jobs", "1", "--progress", "off"] + extra,
            environment: environment, onStart: onStart)
    }

    /// The partitions of the image's layout that hold a file system, in table order.
    static func fileSystemPartitions(_ image: [String: Any]) -> [Int] {
        let partitions = image.object("disk_image")?["partitions"] as? [[String: Any]] ?? []
        return partitions.filter { $0["fs"] != nil }.compactMap { $0.int("index") }
    }

    /// Checks the records of a scan whose worker met `marker` at the end of `z1.bin` in
    /// partition 1: the members before it as written, `z1.bin` with `status`, partition 2's
    /// members as written, the image `status` with a reason that names partition 1 and starts
    /// with `reason` after it.
    static func expectFaultInFirstPartition(
        _ manifest: ParsedManifest, marker: String, status: String, reason: String
    ) throws {
        let image = try #require(manifest.item("two.dd"))
        let partitions = fileSystemPartitions(image)
        try #require(partitions.count == 2, "layout: \(image)")
        #expect(image.string("status") == status, "\(image)")
        let imageReason = image.string("reason") ?? ""
        #expect(imageReason.hasPrefix("in partition \(partitions[0]): \(reason)"), "\(imageReason)")
        #expect(imageReason.contains("a fresh worker went on with the file systems after it"), "\(imageReason)")
        let members = DiskImageTests.members(manifest, of: "two.dd")
        let files = PartitionedImageFixture.files(marker: marker)
        for (index, partition) in files.enumerated() {
            for file in partition {
                let record = try #require(members[file.path], "\(file.path) has no record")
                #expect(DiskImageTests.layer(record)?.int("partition") == partitions[index], "\(file.path)")
                if file.path == "z1.bin" {
                    #expect(record.string("status") == status, "\(record)")
                    #expect(record.string("reason")?.hasPrefix(reason) == true, "\(record)")
                    #expect(record["hashes"] == nil)
                } else {
                    #expect(record.string("status") == "ok", "\(file.path): \(record)")
                    #expect(DiskImageTests.sha256(record) == DiskImageTests.digest(file.bytes), "\(file.path)")
                }
            }
        }
        #expect(members.count == 5)
        #expect(manifest.item("z-after.txt")?.string("status") == "ok")
    }

    /// The evidence folder: the image with `marker` in partition 1, and a file after it.
    static func evidence(in work: TemporaryDirectory, marker: String?) throws -> (folder: URL, image: URL) {
        let folder = work.child("evidence")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let image = try PartitionedImageFixture.make(in: folder, name: "two.dd", marker: marker)
        for index in 0..<2 { try FileManager.default.removeItem(at: folder.appendingPathComponent("two.dd-tree\(index)")) }
        try Data("scanned after the image\n".utf8).write(to: folder.appendingPathComponent("z-after.txt"))
        return (folder, image)
    }

    @Test("Workers and --containers-in-process give identical item lines for every disk image of DiskImageTests, nested and damaged ones included")
    func workersEqualInProcess() throws {
        let work = try TemporaryDirectory("disk-isolation-equal")
        defer { work.remove() }
        let evidence = work.child("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let fat = try DiskImageFixtures.fat32InMBR(in: work.url)
        let ext = try DiskImageFixtures.ext4(in: work.url)
        try FileManager.default.copyItem(at: fat, to: evidence.appendingPathComponent("disk.dd"))
        try FileManager.default.copyItem(at: ext, to: evidence.appendingPathComponent("fs.ext4"))
        try DiskImageFixtures.shell("cd '\(work.path)' && bsdtar --format zip -cf '\(evidence.path)/case.zip' fs.ext4")
        try DiskImageFixtures.shell("head -c \(3 << 20) '\(fat.path)' > '\(evidence.path)/truncated.dd'")
        _ = try PartitionedImageFixture.make(in: work.url, name: "two.dd", marker: nil)
        try FileManager.default.copyItem(at: work.child("two.dd"), to: evidence.appendingPathComponent("two.dd"))

        let isolated = try ProcessRunner.blindfold(["scan", evidence.path, "--out", work.child("a").path])
        let inside = try ProcessRunner.blindfold(["scan", evidence.path, "--out", work.child("b").path, "--containers-in-process"])
        #expect(isolated.exitCode == 0 && inside.exitCode == 0, "\(isolated.stderr) \(inside.stderr)")
        let a = try ParsedManifest(directory: work.child("a")), b = try ParsedManifest(directory: work.child("b"))
        #expect(a.itemLines == b.itemLines)
        for (line, other) in zip(a.itemLines, b.itemLines) where line != other { Issue.record("workers: \(line)\nin-process: \(other)") }
        #expect(a.header.object("options")?.string("containers") == "workers")
        // The lines hold what DiskImageTests checks: layouts, deleted and withheld names, locations.
        #expect(a.item("disk.dd")?.object("disk_image")?.string("volume_system") == "dos")
        let ext4 = DiskImageTests.members(a, of: "fs.ext4")
        #expect(ext4["gone.bin"]?["deleted"] as? Bool == true)
        #expect(ext4["DCIM/old.bin"]?.string("status") == "not-opened")
        #expect(DiskImageTests.layer(ext4["gone.bin"])?.string("fs") == "ext4")
        #expect(a.items.contains { ($0["layers"] as? [[String: Any]])?.first?.string("format") == "zip" && DiskImageTests.layer($0)?.string("fs") == "ext4" })
        #expect(DiskImageTests.members(a, of: "two.dd").count == 5)
    }

    @Test("A parser crash in partition 1 costs that file system: partition 2 is read by a fresh worker")
    func crashCostsOneFileSystem() throws {
        let work = try TemporaryDirectory("disk-isolation-crash")
        defer { work.remove() }
        let (folder, _) = try Self.evidence(in: work, marker: Self.crash)
        let result = try Self.faultScan(folder, out: work.child("out"), ["--container-timeout", "20"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: work.child("out"))
        try Self.expectFaultInFirstPartition(
            manifest, marker: Self.crash, status: "corrupt",
            reason: "the parser crashed: its worker was stopped by signal 11 (SIGSEGV")
        #expect(manifest.summary["complete"] as? Bool == true)
    }

    @Test("A parser that fills its worker's address space: limit container_memory, partition 2 still read")
    func memoryCostsOneFileSystem() throws {
        let work = try TemporaryDirectory("disk-isolation-memory")
        defer { work.remove() }
        let (folder, _) = try Self.evidence(in: work, marker: Self.memory)
        let result = try Self.faultScan(folder, out: work.child("out"), ["--container-timeout", "20", "--worker-memory", String(520 << 20)])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let manifest = try ParsedManifest(directory: work.child("out"))
        try Self.expectFaultInFirstPartition(manifest, marker: Self.memory, status: "limit", reason: "container_memory: ")
    }

    @Test("A hung parser: limit container_timeout after the limit, partition 2 still read; the worker holds the image read-only and never got a path")
    func hangCostsOneFileSystem() throws {
        let work = try TemporaryDirectory("disk-isolation-hang")
        defer { work.remove() }
        let (folder, image) = try Self.evidence(in: work, marker: Self.hang)
        let imagePath = image.resolvingSymlinksInPath().path
        var inspected: [String] = []
        let started = Date()
        let result = try Self.faultScan(folder, out: work.child("out"), ["--container-timeout", "3"]) { scanner in
            // Look at the container worker while it holds the image (it hangs in partition 1).
            for _ in 0..<100 {
                usleep(100_000)
                if let found = Self.inspectWorkers(of: scanner.processIdentifier, image: imagePath, folder: folder.path) {
                    inspected = found
                    break
                }
            }
        }
        let took = Date().timeIntervalSince(started)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(took < 30, "the scan took \(took) s")
        let manifest = try ParsedManifest(directory: work.child("out"))
        try Self.expectFaultInFirstPartition(
            manifest, marker: Self.hang, status: "limit",
            reason: "container_timeout: the parser timed out (no member, member data or container block for 3 s)")
        #expect(inspected == ["one descriptor on the image, read-only", "no path in its arguments"], "\(inspected)")
    }

    /// What a container worker of `scanner` that has `image` open shows in /proc: how many of
    /// its descriptors point at the image and with what access, and whether its command line
    /// names anything in `folder`. Nil while no worker has the image open.
    static func inspectWorkers(of scanner: Int32, image: String, folder: String) -> [String]? {
        guard let listed = try? ProcessRunner.run("/usr/bin/pgrep", ["-P", String(scanner), "-f", "worker --containers"]) else { return nil }
        for pid in listed.stdout.split(separator: "\n") {
            let fdDirectory = "/proc/\(pid)/fd"
            guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
            let onImage = descriptors.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\($0)")) == image }
            guard !onImage.isEmpty else { continue }
            var facts: [String] = []
            let modes = onImage.map { descriptor -> Int in
                let info = (try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(descriptor)", encoding: .utf8)) ?? ""
                let flags = info.split(separator: "\n").first { $0.hasPrefix("flags:") }?.split(separator: "\t").last
                return flags.flatMap { Int($0, radix: 8) }.map { $0 & Int(O_ACCMODE) } ?? -1
            }
            facts.append(onImage.count == 1 && modes == [Int(O_RDONLY)]
                ? "one descriptor on the image, read-only" : "descriptors \(onImage) with access modes \(modes)")
            let arguments = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            let text = String(decoding: arguments.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            facts.append(text.contains(folder) || text.contains("two.dd") ? "a path in its arguments: \(text)" : "no path in its arguments")
            return facts
        }
        return nil
    }

    @Test("An open hands the worker one read-only descriptor per segment: one is listed (and skipped through a partition), two are read as the segments of one image, a writable one is refused")
    func segmentsTravelAsDescriptors() throws {
        let work = try TemporaryDirectory("disk-isolation-segments")
        defer { work.remove() }
        let image = try PartitionedImageFixture.make(in: work.url, name: "two.dd", marker: nil)
        let first = open(image.path, O_RDONLY), second = open(image.path, O_RDONLY), writable = open(image.path, O_RDWR)
        try #require(first >= 0 && second >= 0 && writable >= 0)
        defer { close(first); close(second); close(writable) }
        let size = Int64(PartitionedImageFixture.imageBytes)
        let executable = TestEnvironment.binary.path
        let pool = ContainerWorkerPool(configuration: ContainerWorkerConfiguration(
            executable: executable, arguments: [executable, "worker", "--containers", "--worker-memory", String(1 << 30)],
            stallTimeout: 20, shouldStop: { false }))
        func names(skipThrough: Int?) throws -> (names: [String], layout: DiskLayout?) {
            let proxy = try ContainerProxy(
                pool: pool, formatID: "disk-image", files: [DescriptorSegment(descriptor: first, size: size)], skipThrough: skipThrough)
            var listed: [String] = []
            while case .entry(let entry) = proxy.next() { listed.append(String(decoding: entry.name.bytes, as: UTF8.self)) }
            return (listed, proxy.diskLayout)
        }
        let whole = try names(skipThrough: nil)
        #expect(whole.names == ["a1.bin", "b1.bin", "z1.bin", "a2.bin", "b2.bin"])
        let partitions = (whole.layout?.partitions ?? []).filter { $0.fileSystem != nil }.map(\.index)
        try #require(partitions.count == 2, "\(String(describing: whole.layout))")
        #expect(try names(skipThrough: partitions[0]).names == ["a2.bin", "b2.bin"])
        // Two descriptors are the segments of one image, end to end (a split raw image whose
        // second half is a copy of the first: its table lists the first half's partitions).
        let split = try ContainerProxy(
            pool: pool, formatID: "disk-image",
            files: [DescriptorSegment(descriptor: first, size: size), DescriptorSegment(descriptor: second, size: size)])
        var splitNames: [String] = []
        while case .entry(let entry) = split.next() { splitNames.append(String(decoding: entry.name.bytes, as: UTF8.self)) }
        #expect(splitNames == whole.names)
        #expect(split.diskLayout?.mediaSize == 2 * size)
        #expect(split.diskLayout?.facts?.format == "split-raw")
        #expect(split.diskLayout?.facts?.segments == 2)
        #expect(throws: ItemReadError(status: .unsupported, reason: "the parser's worker was handed a descriptor that is not read-only: refused")) {
            _ = try ContainerProxy(pool: pool, formatID: "disk-image", files: [DescriptorSegment(descriptor: writable, size: size)])
        }
    }

    @Test("The disk-image frames read back as written: entries with deleted, withheld and location, the layout, progress, an open of two files")
    func framesRoundTrip() throws {
        var entry = ContainerEntry(name: PathBytes([0x63, 0x61, 0x66, 0xE9]), kind: .file, declaredSize: 7)
        entry.isDeleted = true
        entry.withheld = ItemReadError(status: .notOpened, reason: "deleted name whose metadata now belongs to another file")
        entry.location = LayerLocation(partition: 3, offset: 17_825_792, fileSystem: "fat16", inode: 5)
        let layout = DiskLayout(
            imageFormat: "raw", mediaSize: 34_603_008, sectorSize: 512, volumeSystem: "dos",
            partitions: [DiskLayout.Partition(index: 2, offset: 1_048_576, length: 16_777_216, allocated: true, fileSystem: "fat16")],
            fileSystem: nil)
        let replies: [ContainerReply] = [.entry(entry, format: "raw", pushed: true), .layout(layout), .progress(read: 1 << 40)]
        for reply in replies {
            var writer = WireWriter()
            writer.containerReply(reply)
            var reader = WireReader(Array(writer.framed.dropFirst(8)))
            #expect(try reader.containerReply() == reply)
        }
        let command = ContainerCommand.openFiles(format: "disk-image", sizes: [10, 20], skipThrough: 2)
        var reader = WireReader(Array(command.encoded().dropFirst(8)))
        #expect(try reader.containerCommand() == command)
        // The open carries the parser's name and numbers, nothing else: 3 + 1 prefix and kind,
        // the name (8 + 10), the count and two sizes (3 * 8), the skip (8).
        #expect(command.encoded().count == 8 + 4 + 18 + 24 + 8)
    }

    @Test("One SIGTERM ends a scan within seconds while TSK hangs in its worker")
    func signalEndsHungImage() throws {
        let work = try TemporaryDirectory("disk-isolation-signal")
        defer { work.remove() }
        let (folder, _) = try Self.evidence(in: work, marker: Self.hang)
        var sent = Date()
        let result = try Self.faultScan(folder, out: work.child("out"), ["--container-timeout", "600"]) { scanner in
            // TSK reaches the hanging file within the second after its worker starts.
            sent = ContainerIsolationTests.terminateOnceWorkerRuns(scanner, settle: 1_000_000)
        }
        let took = Date().timeIntervalSince(sent)
        #expect(result.exitCode == 3, "\(result.stderr)")
        #expect(took < 5, "the scan took \(took) s to end after SIGTERM")
        let manifest = try ParsedManifest(directory: work.child("out"))
        #expect(manifest.summary["complete"] as? Bool == false)
        #expect(manifest.item("two.dd")?.string("status") == "skipped", "\(manifest.item("two.dd") ?? [:])")
    }
}
