// swift-tools-version:6.1
// Blindfold: a forensic media scanner that finds known material by hash, without showing it.
import PackageDescription

let package = Package(
    name: "Blindfold",
    platforms: [.macOS(.v15)],
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
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The shared vocabulary: items, statuses, limits, the hash plugin API.
        .target(
            name: "BlindfoldCore",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        // Walking file systems and sniffing types: the only code that touches libmagic/libarchive.
        .target(
            name: "Evidence",
            dependencies: [
                "BlindfoldCore", "CMagic", "CArchive",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Known-hash set readers, compact indexes and matching: the only code that touches SQLite.
        .target(
            name: "KnownHashes",
            dependencies: ["BlindfoldCore", "CSQLite", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The JSON Lines manifest: writer and reader.
        .target(
            name: "Manifest",
            dependencies: [
                "BlindfoldCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The pipeline: scheduling, fan-out, limits, progress.
        .target(
            name: "Scanner",
            dependencies: [
                "BlindfoldCore", "Evidence", "KnownHashes", "Manifest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Hash plugins: one library target each, under Plugins/.
        .target(
            name: "CryptoHashes",
            dependencies: ["BlindfoldCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Plugins/CryptoHashes"
        ),

        // The command line: the only place that lists concrete plugins.
        .executableTarget(
            name: "blindfold",
            dependencies: [
                "BlindfoldCore", "Evidence", "Scanner", "KnownHashes", "Manifest", "CryptoHashes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(
            name: "BlindfoldTests",
            dependencies: [
                "BlindfoldCore", "Evidence", "KnownHashes", "Manifest", "Scanner", "CryptoHashes",
                "blindfold",
            ]
        ),
    ]
)
