import BlindfoldCore
import Evidence
import Manifest

#if canImport(Glibc)
import Glibc
#endif

/// The checked output directory: outside every root, not holding a manifest (unless
/// `--overwrite`), created only once every other check has passed.
struct OutputDirectory {
    /// The canonical path.
    let path: String

    /// Checks `--out` against the roots without creating anything.
    static func check(_ given: String, roots: [PathBytes], overwrite: Bool, resuming: Bool = false) throws -> OutputDirectory {
        let canonical = try CanonicalPath.prospective(given)
        for root in roots {
            let inside = canonical == root || canonical.bytes.starts(with: root.bytes + [UInt8(ascii: "/")])
                || root.bytes == [UInt8(ascii: "/")]
            if inside {
                throw CommandLineError(
                    "--out '\(given)' is inside the scanned root '\(root.escaped)': evidence is never written to; choose a folder outside it")
            }
        }
        let path = canonical.escaped
        guard canonical.isValidUTF8 else {
            throw CommandLineError("--out '\(given)': choose an output folder whose path is valid UTF-8")
        }
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw CommandLineError("--out '\(given)' exists and is not a folder")
            }
            if !resuming && !overwrite {
                if access(path + "/" + ManifestWriter.fileName, F_OK) == 0 {
                    throw CommandLineError("--out '\(given)' already holds a manifest: choose another folder or pass --overwrite")
                }
                if access(path + "/" + ManifestWriter.partialName, F_OK) == 0 {
                    throw CommandLineError(
                        "--out '\(given)' holds an unfinished scan: finish it with --resume, or pass --overwrite")
                }
            }
            guard access(path, W_OK) == 0 else {
                throw CommandLineError("--out '\(given)' is not writable")
            }
        }
        return OutputDirectory(path: path)
    }

    /// True when the directory is on the same device as one of the roots.
    func sharesDevice(withAnyOf roots: [PathBytes]) -> Bool {
        var output = stat()
        guard stat(path, &output) == 0 else { return false }
        return roots.contains { root in
            var info = stat()
            return root.withCString { stat($0, &info) } == 0 && info.st_dev == output.st_dev
        }
    }

    /// Creates the directory and its missing parents.
    func create() throws {
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                let code = errno
                throw CommandLineError("cannot create '\(current)': \(String(cString: strerror(code)))")
            }
        }
    }
}
