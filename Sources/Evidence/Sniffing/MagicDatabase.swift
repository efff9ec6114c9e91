import BlindfoldCore
import CMagic
#if canImport(Glibc)
import Glibc
#endif

/// Which compiled libmagic database every cookie loads, decided once per process.
///
/// A portable release ships its database as `share/blindfold/magic.mgc` beside `bin/`: when
/// that file exists next to this binary it is loaded, and nothing from the host or the environment
/// changes it. Otherwise `$MAGIC` when it is set, else libmagic's compiled-in default (the
/// system's `/usr/lib/file/magic.mgc`). Which one was used, and its digest, is recorded by
/// `blindfold version` and in the manifest header, so a changed database never goes unnoticed.
public struct MagicDatabase: Sendable, Hashable {
    /// Where the database came from.
    public enum Source: String, Sendable, Hashable {
        /// The copy in the portable release, next to the binary.
        case bundle
        /// The file or list `$MAGIC` names.
        case environment
        /// libmagic's compiled-in default.
        case system
    }

    /// Where the database came from.
    public var source: Source
    /// The argument for `magic_load`: nil for libmagic's default.
    public var loadPath: String?

    /// The database this process uses.
    public static let current = MagicDatabase.resolve(
        releaseRoot: SelfExecutable.current.releaseRoot, environment: getenv("MAGIC").map { String(cString: $0) })

    /// `share/blindfold/magic.mgc` under `releaseRoot` when it exists, else `$MAGIC`, else the default.
    static func resolve(releaseRoot: String?, environment: String?) -> MagicDatabase {
        if let releaseRoot, access(releaseRoot + bundledPath, R_OK) == 0 {
            return MagicDatabase(source: .bundle, loadPath: releaseRoot + bundledPath)
        }
        if let environment, !environment.isEmpty {
            return MagicDatabase(source: .environment, loadPath: environment)
        }
        return MagicDatabase(source: .system, loadPath: nil)
    }

    /// Where a portable release keeps its database, under its root.
    static let bundledPath = "/share/blindfold/magic.mgc"

    /// The files libmagic reads for this database, in order: each entry of the colon-separated
    /// list, with `.mgc` appended where that compiled file exists (as libmagic itself does).
    public var files: [String] {
        let list = loadPath ?? Self.libraryDefault
        return list.split(separator: ":").map(String.init).compactMap { entry in
            if !entry.hasSuffix(".mgc"), access(entry + ".mgc", R_OK) == 0 { return entry + ".mgc" }
            return access(entry, R_OK) == 0 ? entry : nil
        }
    }

    /// libmagic's compiled-in database list (`/etc/magic:/usr/lib/file/magic` on Debian).
    static var libraryDefault: String {
        magic_getpath(nil, 0).map { String(cString: $0) } ?? "/usr/lib/file/magic"
    }
}
