#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// The names in one directory, read once and sorted byte-wise.
///
/// The directory is opened read-only without following a symbolic link and, where the process
/// may, without updating its access time. The handle is closed before this returns, so a deep
/// tree never holds more than one directory open.
enum DirectoryListing {
    /// The entry names of `path` (without `.` and `..`), sorted.
    ///
    /// `expected` is the directory's `lstat`: the opened directory must be that one, so a
    /// directory swapped for a link or another directory after it was listed (a live system)
    /// never leads the walk elsewhere.
    static func names(of path: PathBytes, expected: FileStat) -> Result<[PathBytes], SystemFailure> {
        let fd: Int32
        switch ReadOnlyOpen.open(path, flags: O_DIRECTORY) {
        case .success(let opened): fd = opened
        case .failure(let failure): return .failure(failure)
        }
        var opened = stat()
        guard fstat(fd, &opened) == 0, UInt64(opened.st_dev) == expected.device, UInt64(opened.st_ino) == expected.inode
        else {
            close(fd)
            return .failure(SystemFailure(operation: "open (replaced after it was listed)", errno: ENOENT))
        }
        guard let directory = fdopendir(fd) else {
            let failure = SystemFailure(operation: "opendir", errno: errno)
            close(fd)
            return .failure(failure)
        }
        defer { closedir(directory) }
        var names: [PathBytes] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
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
