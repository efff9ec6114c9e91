/// One fuzz target: a name (the value of `BLINDFOLD_FUZZ_TARGET`) and the code path one input
/// goes through.
///
/// The bodies call only the public APIs the scanner calls, the way it calls them, and discard
/// every result: an input either passes through or crashes, hangs or exhausts memory. Nothing
/// an input contains is ever printed.
struct FuzzTarget: Sendable {
    /// The name `BLINDFOLD_FUZZ_TARGET` selects, and the folder under `Fixtures/fuzz/` that
    /// holds this target's regression inputs.
    let name: String
    /// What the target exercises, for `--help`-style listings.
    let summary: String
    /// Runs one input through the code path.
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    /// Every target, in the order `make fuzz` runs them. A duplicate name is a programming error,
    /// caught by the regression test.
    static let all: [FuzzTarget] = ImageDecodeTarget.targets + [ArchiveTarget.target, CarvingTarget.target, ManifestTarget.target]
        + HashSetTarget.targets

    /// The target called `name`, or nil.
    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
