#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// The names in one open directory, read once and sorted byte-wise.
enum DirectoryListing {
    /// The entry names of `directory` (without `.` and `..`), sorted.
    ///
    /// Reads through a duplicate of the handle's descriptor (`fdopendir` takes ownership of the
    /// one it is given), so the handle stays usable for the entries.
    static func names(of directory: DirectoryHandle) -> Result<[PathBytes], SystemFailure> {
        let fd = fcntl(directory.descriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { return .failure(SystemFailure(operation: "dup", errno: errno)) }
        guard let stream = fdopendir(fd) else {
            let failure = SystemFailure(operation: "opendir", errno: errno)
            close(fd)
            return .failure(failure)
        }
        defer { closedir(stream) }
        // A duplicate shares the file position: start from the first entry whatever happened before.
        rewinddir(stream)
        var names: [PathBytes] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { return .failure(SystemFailure(operation: "readdir", errno: errno)) }
                break
            }
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> [UInt8] in
                let length = raw.firstIndex(of: 0) ?? raw.count
                return Array(raw[..<length])
            }
            if name == [0x2e] || name == [0x2e, 0x2e] { continue }
            names.append(PathBytes(name))
        }
        names.sort()
        return .success(names)
    }
}
