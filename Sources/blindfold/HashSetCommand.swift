import ArgumentParser
import BlindfoldCore
import KnownHashes

/// `blindfold hashset`: build and inspect compact `.bfhs` indexes of known-hash sets.
struct HashSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashset",
        abstract: "Import hash sets into compact memory-mapped indexes (.bfhs) and inspect them.",
        discussion: """
            An index is a sorted, checksummed copy of a set's digests that a scan maps instead of \
            reading the set: NSRL-sized sets load in milliseconds and use memory only for the \
            pages lookups touch. 'scan --known-bad/--known-good' accept indexes and raw sets \
            alike. Layout and formats: docs/HASHSETS.md.
            """,
        subcommands: [Import.self, Info.self, Lookup.self]
    )
}

extension HashSetRole: ExpressibleByArgument {}
extension HashSetFormat: ExpressibleByArgument {}

