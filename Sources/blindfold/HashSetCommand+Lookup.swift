import ArgumentParser
import BlindfoldCore
import Foundation
import KnownHashes
import Signals

extension HashSetCommand {
    /// `blindfold hashset lookup`: matches a list of digests against a set and prints counts
    /// and timings (what the benchmark measures lookups with).
    struct Lookup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lookup",
            abstract: "Look up digests (one hex digest a line) in a set or index; print how many matched and how fast.",
            discussion: "Only counts are printed. With --pdq the lines are PDQ hashes matched within --pdq-distance."
        )

        @Argument(help: ArgumentHelp("The set or index.", valueName: "set"))
        var set: String

        @Argument(help: ArgumentHelp("The digests to look up.", valueName: "queries"))
        var queries: String

        @Option(name: .long, help: ArgumentHelp("known-good or known-bad (an index's own role by default).", valueName: "role"))
        var role: HashSetRole?

        @Flag(name: .long, help: "The queries are PDQ hashes.")
        var pdq = false

        @Option(name: .customLong("pdq-distance"), help: ArgumentHelp("Largest PDQ distance that matches.", valueName: "n"))
        var pdqDistance: Int = PDQMatchPolicy.standard.maxDistance

        @Flag(name: .long, help: "PDQ: scan every entry instead of using the index (for comparison).")
        var linear = false

        func run() throws {
            let clock = ContinuousClock()
            let loadStart = clock.now
            let policy = PDQMatchPolicy(maxDistance: pdqDistance, qualityFloor: 0, dihedral: false)
            let loaded: any KnownHashSet
            do {
                var assumed = role ?? .knownGood
                if role == nil, let index = try? IndexFile(path: set) { assumed = index.metadata.role }
                loaded = try HashSetLoader.load(path: set, name: "set", role: assumed, pdqPolicy: policy)
            } catch {
                throw CommandLineError("hashset lookup: \(error)")
            }
            let loadTime = clock.now - loadStart
            guard let text = try? String(contentsOfFile: queries, encoding: .utf8) else {
                throw CommandLineError("hashset lookup: \(queries): cannot be read")
            }
            let batch: [[HashOutput]] = text.split(separator: "\n").map { line in
                let hex = String(line).lowercased()
                let key = pdq ? PDQSignal.Key.hash : DigestAlgorithm(hexLength: hex.utf8.count)?.rawValue ?? "?"
                return [HashOutput(key: key, value: .hex(hex))]
            }
            let pdqSet = Self.pdqPart(of: loaded)
            if linear && pdqSet == nil { throw CommandLineError("hashset lookup: --linear needs a set with PDQ entries") }
            var matched = 0
            let start = clock.now
            for hashes in batch {
                if linear, let pdqSet {
                    if pdqSet.linearMatchDistance(for: hashes) != nil { matched += 1 }
                } else if !loaded.matches(for: hashes).isEmpty {
                    matched += 1
                }
            }
            let elapsed = clock.now - start
            let seconds = elapsed.seconds
            let loadSeconds = loadTime.seconds
            var line = "queries \(batch.count), matched \(matched), load \(String(format: "%.3f", loadSeconds)) s, lookups \(String(format: "%.3f", seconds)) s, \(Int(Double(batch.count) / max(seconds, 1e-9))) per second"
            if let index = (loaded as? IndexedHashSet)?.index {
                // The bare index lookup, from one contiguous buffer of query digests, without
                // building Match values: what the index costs once an item's digest is at hand.
                var flat: [UInt8] = []
                var spans: [(Int, Int, DigestAlgorithm)] = []
                for hashes in batch {
                    guard case .hex(let hex) = hashes[0].value, let algorithm = DigestAlgorithm(rawValue: hashes[0].key) else { continue }
                    spans.append((flat.count, hex.utf8.count, algorithm))
                    flat.append(contentsOf: hex.utf8)
                }
                // Twice: the first pass also pays the page faults that map the index's pages.
                for pass in ["bare index lookups", "again (pages mapped)"] {
                    var found = 0
                    let bare = clock.now
                    flat.withUnsafeBufferPointer { buffer in
                        for (start, count, algorithm) in spans
                        where index.contains(hex: UnsafeBufferPointer(rebasing: buffer[start..<(start + count)]), algorithm: algorithm) {
                            found += 1
                        }
                    }
                    let bareTime = clock.now - bare
                    let bareSeconds = bareTime.seconds
                    line += "; \(pass) \(found) found, \(Int(Double(spans.count) / max(bareSeconds, 1e-9))) per second"
                }
            }
            print(line)
        }

        private static func pdqPart(of set: any KnownHashSet) -> PDQHashSet? {
            if let pdq = set as? PDQHashSet { return pdq }
            return (set as? CompositeHashSet)?.parts.lazy.compactMap { $0 as? PDQHashSet }.first
        }
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
