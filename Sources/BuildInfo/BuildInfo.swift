import CBuildStamp
import Evidence

/// What this binary is: the commit and toolchain it was built from, the C libraries it runs
/// with and the libmagic database it loads. `blindfold version` prints it and every manifest
/// header records it, so a result can be traced to the exact build.
public struct BuildInfo: Sendable, Hashable {
    /// The git commit (`make dist` stamps it), or "unknown".
    public var commit: String
    /// The Swift toolchain that built the binary (`make dist` stamps it), or "unknown".
    public var toolchain: String
    /// The C libraries the scanner calls, in a fixed order, with the versions they report.
    public var libraries: [LibraryVersion]
    /// The libmagic database every cookie loads.
    public var magicDatabase: MagicDatabaseIdentity

    /// This process's build, found once (the database is read and hashed on first use).
    public static let current = BuildInfo(
        commit: String(cString: blindfold_stamp_commit()),
        toolchain: String(cString: blindfold_stamp_toolchain()),
        libraries: LibraryVersion.linked,
        magicDatabase: MagicDatabaseIdentity(MagicDatabase.current))
}
