import BlindfoldCore

#if canImport(Glibc)
import Glibc
#endif

/// Absolute, symlink-free paths for the roots and the output directory.
enum CanonicalPath {
    /// `realpath` of an existing path, as exact bytes.
    static func existing(_ path: String) throws -> PathBytes {
        guard let resolved = realpath(path, nil) else {
            let code = errno
            throw CommandLineError("root '\(path)' cannot be used: \(String(cString: strerror(code)))")
        }
        defer { free(resolved) }
        return PathBytes(Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved))))
    }

    /// The canonical form of a path that may not exist yet: its nearest existing ancestor
    /// resolved, then the missing components (which may not contain `..`).
    static func prospective(_ path: String) throws -> PathBytes {
        var existingPart = path.hasPrefix("/") ? path : "./" + path
        var missing: [Substring] = []
        while access(existingPart, F_OK) != 0 {
            guard let slash = existingPart.lastIndex(of: "/") else { break }
            missing.insert(existingPart[existingPart.index(after: slash)...], at: 0)
            existingPart = String(existingPart[..<slash])
            if existingPart.isEmpty { existingPart = "/" }
        }
        if missing.contains("..") {
            throw CommandLineError("--out '\(path)': '..' after a folder that does not exist yet")
        }
        var resolved = try existing(existingPart)
        for component in missing where !component.isEmpty && component != "." {
            resolved = resolved.appending(PathBytes(String(component)))
        }
        return resolved
    }
}
