// swift-tools-version:6.1
// Blindfold: a forensic media scanner that finds known material by hash, without showing it.
import PackageDescription

/// A release build's stamps (`make dist` sets them in the environment): `C` string literals for
/// the `CBuildStamp` target only, so a new commit rebuilds one small C file. An ordinary build
/// sets none and records "unknown"; characters outside a safe set are dropped.
func buildStamps() -> [CSetting] {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+()/ ")
    return ["BLINDFOLD_COMMIT", "BLINDFOLD_TOOLCHAIN"].compactMap { name in
        guard let value = Context.environment[name], !value.isEmpty else { return nil }
        return .define(name, to: "\"" + String(value.filter { safe.contains($0) }.prefix(120)) + "\"")
    }
}

let package = Package(
    name: "Blindfold",
    products: [
        .executable(name: "blindfold", targets: ["blindfold"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries (Debian -dev packages, found through pkg-config).
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CTSK", pkgConfig: "tsk", providers: [.apt(["libtsk-dev"])]),
        // Image formats under TSK's media (docs/DISK-IMAGES.md): read over libbfio handles.
        .systemLibrary(name: "CBFIO", pkgConfig: "libbfio", providers: [.apt(["libbfio-dev"])]),
        .systemLibrary(name: "CEWF", pkgConfig: "libewf", providers: [.apt(["libewf-dev"])]),
        .systemLibrary(name: "CVHDI", pkgConfig: "libvhdi", providers: [.apt(["libvhdi-dev"])]),
        .systemLibrary(name: "CVMDK", pkgConfig: "libvmdk", providers: [.apt(["libvmdk-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CGIF", providers: [.apt(["libgif-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CHeif", pkgConfig: "libheif", providers: [.apt(["libheif-dev"])]),
        // posix_spawn with closefrom, wait-status macros: glibc only, no library to link.
        .systemLibrary(name: "CProcess"),
        // openat2 with RESOLVE_NO_SYMLINKS: no glibc wrapper yet.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // FFmpeg's demuxers, decoders and scaler, for vPDQ (docs/VIDEO.md).
        .systemLibrary(
            name: "CAVFormat", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),

        // The shared vocabulary: items, statuses, limits, the hash plugin API.
        .target(
            name: "BlindfoldCore",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        // One home per signal (PDQ, ...): its keys, comparison, notes and export fields, and the
        // catalog that lists them. Core and the scanner know signals only through the protocol.
        .target(name: "Signals", dependencies: ["BlindfoldCore"]),
        // Walking file systems and sniffing types: the only code that touches libmagic/libarchive.
        .target(
            name: "Evidence",
            dependencies: [
                "BlindfoldCore", "CMagic", "CArchive", "CLinux", "CTSK", "CBFIO", "CEWF", "CVHDI", "CVMDK",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),  // E01 verification (MD5, SHA-1)
            ]
        ),
        // Known-hash set readers, compact indexes and matching: the only code that touches SQLite.
        .target(
            name: "KnownHashes",
            dependencies: ["BlindfoldCore", "Signals", "CSQLite", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The JSON Lines manifest: writer and reader.
        .target(
            name: "Manifest",
            dependencies: [
                "BlindfoldCore", "BuildInfo", "Signals",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The pipeline: scheduling, fan-out, limits, progress.
        .target(
            name: "Scanner",
            dependencies: [
                "BlindfoldCore", "Evidence", "KnownHashes", "Manifest", "BuildInfo", "Signals",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),  // the shard listing's fingerprint
            ]
        ),

        // Image decoders: one thin wrapper per C library, the only code that touches them.
        .target(
            name: "ImageDecoding",
            dependencies: ["BlindfoldCore", "CTurboJPEG", "CPNG", "CWebP", "CGIF", "CTIFF", "CHeif"]
        ),

        // Video decoding: the only code that touches FFmpeg, run in the decoder workers.
        .target(name: "VideoDecoding", dependencies: ["BlindfoldCore", "ImageDecoding", "CAVFormat"]),

        // What this binary is: commit, toolchain, C library versions, the libmagic database
        // (`blindfold version`, the manifest header's `build`). The stamps come from `make dist`.
        .target(name: "CBuildStamp", cSettings: buildStamps()),
        .target(
            name: "BuildInfo",
            dependencies: [
                "CBuildStamp", "Evidence", "CMagic", "CArchive", "CTurboJPEG", "CPNG", "CWebP", "CGIF", "CTIFF", "CHeif",
                "CSQLite", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Decoder workers: whole-item plugins run in child processes of this binary.
        .target(name: "CDescriptors"),
        .target(name: "Isolation", dependencies: ["BlindfoldCore", "Evidence", "ImageDecoding", "CProcess", "CDescriptors"]),
        // External plugins (blindfold-plugin/1, docs/PLUGINS.md): any executable that speaks the
        // protocol, run out of process through Isolation's PluginProcess, its answers validated.
        .target(
            name: "ExternalPlugins",
            dependencies: ["BlindfoldCore", "Isolation", "Manifest", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // Hash plugins: one library target each, under Plugins/.
        .target(
            name: "CryptoHashes",
            dependencies: ["BlindfoldCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/CryptoHashes"
        ),
        .target(name: "PDQ", dependencies: ["BlindfoldCore", "Signals", "ImageDecoding"], path: "Plugins/PDQ"),
        .target(name: "PHash", dependencies: ["BlindfoldCore", "ImageDecoding"], path: "Plugins/PHash"),
        .target(name: "VPDQ", dependencies: ["BlindfoldCore", "Signals", "PDQ", "VideoDecoding"], path: "Plugins/VPDQ"),

        // The command line: the only place that lists concrete plugins.
        .executableTarget(
            name: "blindfold",
            dependencies: [
                "BlindfoldCore", "Evidence", "Scanner", "KnownHashes", "Manifest", "Signals", "CryptoHashes", "PDQ", "PHash",
                "VPDQ", "Isolation", "ExternalPlugins", "BuildInfo", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // libFuzzer targets: built for fuzzing only with `-sanitize=fuzzer -DFUZZING` (`make fuzz`,
        // docs/FUZZING.md); an ordinary build makes a stub that says so.
        .executableTarget(
            name: "BlindfoldFuzz",
            dependencies: ["BlindfoldCore", "Evidence", "KnownHashes", "Manifest", "ImageDecoding", "PDQ", "PHash"],
            path: "Tests/Fuzz"
        ),

        .testTarget(
            name: "BlindfoldTests",
            dependencies: [
                "BlindfoldCore", "Evidence", "KnownHashes", "Manifest", "Signals", "Scanner", "CryptoHashes",
                "ImageDecoding", "PDQ", "PHash", "Isolation", "ExternalPlugins", "blindfold", "BlindfoldFuzz", "BuildInfo",
                "VideoDecoding", "VPDQ",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
