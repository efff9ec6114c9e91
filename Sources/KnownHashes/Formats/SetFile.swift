import Glibc

/// Opens hash-set files, which must be regular files.
///
/// A FIFO, a socket, a device or a directory given as a set would block the scan (a FIFO's
/// `open` waits for a writer, a read from it for data), never end (`/dev/zero`) or fail late
/// with a confusing message. So every set file is opened with `O_NONBLOCK` (a FIFO's open
/// returns at once), checked with `fstat`, and refused unless it is a regular file; only then
/// is `O_NONBLOCK` cleared for the reads that follow.
enum SetFile {
    /// A read-only descriptor for the regular file at `path`; the caller closes it.
    static func open(_ path: String) throws(HashSetError) -> Int32 {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else {
            let code = errno
            // A socket cannot be opened at all (ENXIO): name what it is rather than the errno.
            var status = stat()
            if stat(path, &status) == 0, let kind = kind(of: status.st_mode) {
                throw HashSetError(file: path, reason: "is \(kind), not a regular file")
            }
            throw HashSetError(file: path, reason: "cannot be read (\(String(cString: strerror(code))))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw HashSetError(file: path, reason: "cannot be read (\(String(cString: strerror(code))))")
        }
        if let kind = kind(of: status.st_mode) {
            close(descriptor)
            throw HashSetError(file: path, reason: "is \(kind), not a regular file")
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return descriptor
    }

    /// Refuses `path` unless it is a regular file that can be opened.
    static func check(_ path: String) throws(HashSetError) {
        close(try open(path))
    }

    /// What a file of `mode` is when it is not a regular file; nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "not a regular file"
        }
    }
}
