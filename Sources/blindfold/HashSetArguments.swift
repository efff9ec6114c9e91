import BlindfoldCore
import KnownHashes

/// Loads the `--known-bad` and `--known-good` sets; any problem is a one-line usage error.
enum HashSetArguments {
    static func load(knownBad: [String], knownGood: [String], vicsAlert: Set<String> = ["1"]) throws -> [any KnownHashSet] {
        var names: Set<String> = []
        var sets: [any KnownHashSet] = []
        for (path, role) in knownBad.map({ ($0, HashSetRole.knownBad) }) + knownGood.map({ ($0, HashSetRole.knownGood) }) {
            let name = String(path.split(separator: "/").last ?? Substring(path))
            guard names.insert(name).inserted else {
                throw CommandLineError("two hash sets are named '\(name)': give the files different names")
            }
            do {
                sets.append(try HashSetLoader.load(path: path, name: name, role: role, vicsAlertCategories: vicsAlert))
            } catch {
                throw CommandLineError("hash set \(error)")
            }
        }
        return sets
    }
}
