import Foundation
import Testing

/// The portable release (`make dist`, issue #19): the archive unpacked into a temporary folder
/// scans the fixtures with an empty environment exactly as the normal build does, and its
/// binary finds nothing outside the bundle but glibc, libgcc_s and libstdc++.
///
/// `make test` builds the archive first and names it in `BLINDFOLD_DIST_ARCHIVE`; without that
/// variable the suite runs `.ci/dist` itself.
@Suite("Portable release", .serialized)
struct PortableReleaseTests {
    /// What the bundled binary may take from the host, and why (docs/RELEASE.md says the same).
    static let hostLibraries: Set<String> = [
        "linux-vdso.so.1",  // the kernel's, not a file
        "ld-linux-x86-64.so.2",  // glibc's loader: it must be the host's, to match its libc
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",  // glibc
        "libresolv.so.2",  // glibc's resolver: FFmpeg's network protocols (never used: input is custom I/O) link it
        "libgcc_s.so.1",  // GCC's unwinder: on every glibc system, backward compatible
        "libstdc++.so.6",  // GCC's C++ runtime: on every glibc system (apt itself needs it), versioned symbols
    ]

    /// The unpacked release, made once for the suite.
    static let release: Result<UnpackedRelease, any Error> = Result { try UnpackedRelease.make() }

    @Test("the archive's .sha256 and its SHA256SUMS verify; README, licences and the magic database are inside")
    func contents() throws {
        let release = try Self.release.get()
        let sidecar = try ProcessRunner.run(
            "/bin/sh", ["-c", "cd '\(release.archive.deletingLastPathComponent().path)' && sha256sum -c '\(release.archive.lastPathComponent).sha256'"])
        #expect(sidecar.exitCode == 0, "archive digest: \(sidecar.stdout)\(sidecar.stderr)")
        let sums = try ProcessRunner.run("/bin/sh", ["-c", "cd '\(release.root.path)' && sha256sum -c --quiet SHA256SUMS"])
        #expect(sums.exitCode == 0, "SHA256SUMS: \(sums.stdout)\(sums.stderr)")
        for file in ["README.md", "RELEASE.md", "LIBRARIES", "VERSION", "share/blindfold/magic.mgc", "licenses/swift/LICENSE.txt",
                     "licenses/debian/libmagic-mgc/copyright"] {
            #expect(FileManager.default.fileExists(atPath: release.root.appendingPathComponent(file).path), "\(file) is missing")
        }
        let libraries = try String(contentsOf: release.root.appendingPathComponent("LIBRARIES"), encoding: .utf8)
        let rows = libraries.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.count >= 9, "the nine libraries the scanner calls, at least")
        for row in rows {
            #expect(row.count == 3, "LIBRARIES row \(row)")
            guard row.count == 3 else { continue }
            #expect(FileManager.default.fileExists(atPath: release.root.appendingPathComponent("lib/\(row[0])").path), "\(row[0]) is not shipped")
            #expect(FileManager.default.fileExists(atPath: release.root.appendingPathComponent("licenses/debian/\(row[1])/copyright").path),
                    "no licence for \(row[1])")
        }
    }

    @Test("the fixture scan from the unpacked release, with an empty environment, equals the normal build's")
    func scanEqualsNormalBuild() throws {
        let release = try Self.release.get()
        let expected = try Self.scan(with: TestEnvironment.binary.path, environmentCleared: false)
        defer { expected.output.remove() }
        let bundled = try Self.scan(with: release.binary.path, environmentCleared: true)
        defer { bundled.output.remove() }
        #expect(bundled.result.exitCode == 1, "known-bad matches: \(bundled.result.stderr)")
        #expect(bundled.manifest.itemLines == expected.manifest.itemLines)
        #expect(bundled.manifest.header.object("options")?.string("decoders") == "workers")

        let build = try #require(bundled.manifest.header.object("build"))
        #expect(build.object("magic_database")?.string("source") == "bundle")
        #expect(build.string("commit") != "unknown", "make dist stamps the commit")
        let normalBuild = try #require(expected.manifest.header.object("build"))
        #expect(NSDictionary(dictionary: build.object("libraries") ?? [:])
            .isEqual(to: normalBuild.object("libraries") ?? [:]), "same libraries as the normal build")

        let schema = TestEnvironment.repository.appendingPathComponent("docs/manifest.schema.json").path
        let validator = TestEnvironment.repository.appendingPathComponent("Tests/Tools/validate_manifest.py").path
        let validation = try ProcessRunner.run(
            "/usr/bin/env", ["python3", validator, schema, bundled.output.child("manifest.jsonl").path])
        #expect(validation.exitCode == 0, "\(validation.stdout)\(validation.stderr)")
    }

    @Test("ldd: outside the bundle only glibc, libgcc_s and libstdc++; nothing from the toolchain or a build folder")
    func resolvesInsideTheBundle() throws {
        let release = try Self.release.get()
        let library = release.root.appendingPathComponent("lib")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: library.path)
        for object in [release.binary.path] + shipped.map({ library.appendingPathComponent($0).path }) {
            let ldd = try ProcessRunner.run("/usr/bin/env", ["-i", "/usr/bin/ldd", object])
            #expect(ldd.exitCode == 0, "ldd \(object): \(ldd.stderr)")
            for (soname, path) in Self.resolved(ldd.stdout) {
                let real = path.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                if let real, real.hasPrefix(library.resolvingSymlinksInPath().path + "/") { continue }
                #expect(Self.hostLibraries.contains(soname), "\(object): \(soname) resolves to \(path ?? "nothing")")
                #expect(!(real ?? "").hasPrefix("/opt/") && !(real ?? "").contains("/.build"), "\(soname) from \(real ?? "")")
            }
        }
    }

    @Test("started through the dynamic loader (no execute bit), the scan and its decoder workers still run")
    func runsThroughTheLoader() throws {
        let release = try Self.release.get()
        let copy = try TemporaryDirectory("portable-loader")
        defer { copy.remove() }
        let copied = try ProcessRunner.run("/bin/cp", ["-a", release.root.path, copy.path])
        #expect(copied.exitCode == 0)
        let binary = copy.child("blindfold/bin/blindfold").path
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: binary)
        let expected = try Self.scan(with: TestEnvironment.binary.path, environmentCleared: false)
        defer { expected.output.remove() }
        let loaded = try Self.scan(with: "/lib64/ld-linux-x86-64.so.2", prefix: [binary], environmentCleared: true)
        defer { loaded.output.remove() }
        #expect(loaded.result.exitCode == 1, "known-bad matches: \(loaded.result.stderr)")
        #expect(loaded.manifest.itemLines == expected.manifest.itemLines, "PDQ hashes come from the workers")
        #expect(loaded.manifest.header.object("build")?.object("magic_database")?.string("source") == "bundle")
    }

    /// The fixture scan by `executable` (after `prefix`), with `env -i` when `environmentCleared`.
    static func scan(with executable: String, prefix: [String] = [], environmentCleared: Bool) throws
        -> (output: TemporaryDirectory, result: ProcessResult, manifest: ParsedManifest)
    {
        let output = try TemporaryDirectory("portable-scan")
        let arguments = prefix + ["scan", TestEnvironment.evidence.path, "--out", output.path, "--progress", "off"]
            + TestEnvironment.fixtureSetArguments
        let result = environmentCleared
            ? try ProcessRunner.run("/usr/bin/env", ["-i", executable] + arguments)
            : try ProcessRunner.run(executable, arguments)
        return (output, result, try ParsedManifest(directory: output.url))
    }

    /// `ldd` output as (soname, resolved path or nil): `libz.so.1 => /lib/.../libz.so.1 (0x...)`,
    /// `/lib64/ld-linux-x86-64.so.2 (0x...)`, `libx.so => not found`; the vDSO left out.
    static func resolved(_ output: String) -> [(String, String?)] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            // A library without dependencies (libicudata) prints only "statically linked".
            guard let first = fields.first, first != "statically" else { return nil }
            if fields.count >= 3, fields[1] == "=>" {
                return (first, fields[2] == "not" ? nil : fields[2])
            }
            let name = first.split(separator: "/").last.map(String.init) ?? first
            return (name, first.hasPrefix("/") ? first : nil)
        }.filter { $0.0 != "linux-vdso.so.1" }
    }
}

/// The release archive, unpacked into a fresh temporary folder.
struct UnpackedRelease: Sendable {
    /// The `.tar.gz`.
    var archive: URL
    /// The unpacked `blindfold/` folder.
    var root: URL
    /// `blindfold/bin/blindfold`.
    var binary: URL { root.appendingPathComponent("bin/blindfold") }

    /// Finds (or builds) the archive and unpacks it.
    static func make() throws -> UnpackedRelease {
        let archive: URL
        if let given = ProcessInfo.processInfo.environment["BLINDFOLD_DIST_ARCHIVE"], !given.isEmpty {
            archive = URL(fileURLWithPath: given)
        } else {
            let script = TestEnvironment.repository.appendingPathComponent(".ci/dist").path
            let built = try ProcessRunner.run("/bin/bash", [script])
            guard built.exitCode == 0, let last = built.stdout.split(separator: "\n").last else {
                throw ReleaseError(".ci/dist failed: \(built.stderr.suffix(2000))")
            }
            archive = TestEnvironment.repository.appendingPathComponent(String(last))
        }
        // One fixed folder, emptied first, so repeated runs leave one copy (about 140 MB), not many.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blindfold-portable-release")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let unpacked = try ProcessRunner.run("/bin/tar", ["-xzf", archive.path, "-C", folder.path])
        guard unpacked.exitCode == 0 else { throw ReleaseError("tar: \(unpacked.stderr)") }
        return UnpackedRelease(archive: archive, root: folder.appendingPathComponent("blindfold"))
    }
}

/// The release could not be built or unpacked.
struct ReleaseError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
