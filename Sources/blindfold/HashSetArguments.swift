import BlindfoldCore
import KnownHashes
import Signals

/// Loads the `--known-bad` and `--known-good` sets (raw sets or `.bfhs` indexes); any problem
/// is a one-line usage error.
enum HashSetArguments {
    /// The categories of a `--vics-alert` value (`1,2,3`), nil when the option was not given.
    static func alertCategories(_ text: String?) -> Set<String>? {
        text.map { Set($0.split(separator: ",").map { $0.trimmingCharacters() }) }
    }

    static func load(
        knownBad: [String], knownGood: [String], vicsAlert: Set<String>? = nil, pdqPolicy: PDQMatchPolicy = .standard,
        vpdqPolicy: VPDQComparison = .standard
    ) throws -> [any KnownHashSet] {
        var names: Set<String> = []
        var sets: [any KnownHashSet] = []
        for (path, role) in knownBad.map({ ($0, HashSetRole.knownBad) }) + knownGood.map({ ($0, HashSetRole.knownGood) }) {
            let set: any KnownHashSet
            do {
                // A raw set is named after its file; an index carries the name it was imported with.
                let name = String(path.split(separator: "/").last ?? Substring(path))
                set = try HashSetLoader.load(
                    path: path, name: name, role: role, vicsAlertCategories: vicsAlert, pdqPolicy: pdqPolicy, vpdqPolicy: vpdqPolicy)
            } catch {
                throw CommandLineError("hash set \(error)")
            }
            guard names.insert(set.info.name).inserted else {
                throw CommandLineError("two hash sets are named '\(set.info.name)': give the files different names")
            }
            sets.append(set)
        }
        return sets
    }
}
