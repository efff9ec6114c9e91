#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// Walks roots depth-first in byte-wise sorted order and yields one ``WalkEntry`` per object.
///
/// - Never follows symbolic links: a link is an entry of kind `symlink` with its target.
/// - FIFOs, sockets and devices are entries that say "record, do not open".
/// - A directory that cannot be entered (unreadable, excluded, on another file system, or the
///   same directory as one of its ancestors through a bind mount) is an entry of kind
///   `directory` saying why; directories that are entered get no entry.
/// - Memory is bounded by the sizes of the directories on the current path, not by the tree.
///
/// Not thread-safe: one walker belongs to one owner, who hands entries to workers.
public final class FileSystemWalker: IteratorProtocol, Sequence {
    /// Choices that change what the walk covers.
    public struct Options: Sendable, Hashable {
        /// Glob patterns (fnmatch, `*` also matches `/`) tried against the root-relative path
        /// and against the last name; a match is recorded as `skipped` and not read or entered.
        public var excludes: [String]
        /// Enter directories on other file systems than their root.
        public var crossFilesystems: Bool

        /// Options from their parts.
        public init(excludes: [String] = [], crossFilesystems: Bool = false) {
            self.excludes = excludes
            self.crossFilesystems = crossFilesystems
        }
    }

    private struct Frame {
        var absolute: PathBytes
        var relative: PathBytes
        var identity: DirectoryIdentity
        var names: [PathBytes]
        var next: Int = 0
    }

    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private let roots: [PathBytes]
    private let options: Options
    private var nextRoot = 0
    private var currentRoot = 0
    private var rootDevice: UInt64 = 0
    private var stack: [Frame] = []
    private var ancestors: Set<DirectoryIdentity> = []

    /// A walker over `roots` (absolute paths, already checked to exist).
    public init(roots: [PathBytes], options: Options = Options()) {
        self.roots = roots
        self.options = options
    }

    /// The next entry, or nil when every root is done.
    public func next() -> WalkEntry? {
        while true {
            guard var frame = stack.popLast() else {
                guard nextRoot < roots.count else { return nil }
                if let entry = startRoot(nextRoot) { return entry }
                continue
            }
            guard frame.next < frame.names.count else {
                ancestors.remove(frame.identity)
                continue
            }
            let name = frame.names[frame.next]
            frame.next += 1
            let absolute = frame.absolute.appending(name)
            let relative = frame.relative.appending(name)
            stack.append(frame)
            if let entry = visit(absolute: absolute, relative: relative) { return entry }
        }
    }

    private func startRoot(_ index: Int) -> WalkEntry? {
        nextRoot = index + 1
        currentRoot = index
        let root = roots[index]
        let path = VirtualPath(rootIndex: index, relative: root.lastComponent)
        switch FileStat.of(root, followingLinks: true) {
        case .failure(let failure):
            return WalkEntry(
                path: path, absolute: root, kind: .other, stat: nil, linkTarget: nil,
                disposition: .record(failure.itemStatus, reason: "root could not be examined (\(failure))"))
        case .success(let stat):
            rootDevice = stat.device
            guard stat.kind == .directory else {
                return entry(absolute: root, path: path, stat: stat)
            }
            return enter(absolute: root, relative: PathBytes([]), stat: stat)
        }
    }

    private func visit(absolute: PathBytes, relative: PathBytes) -> WalkEntry? {
        let path = VirtualPath(rootIndex: currentRoot, relative: relative)
        switch FileStat.of(absolute) {
        case .failure(let failure):
            return WalkEntry(
                path: path, absolute: absolute, kind: .other, stat: nil, linkTarget: nil,
                disposition: .record(failure.itemStatus, reason: "listed but could not be examined (\(failure))"))
        case .success(let stat):
            if let pattern = excludingPattern(relative) {
                return WalkEntry(
                    path: path, absolute: absolute, kind: stat.kind, stat: stat, linkTarget: nil,
                    disposition: .record(.skipped, reason: "excluded by --exclude '\(pattern)'"))
            }
            guard stat.kind == .directory else { return entry(absolute: absolute, path: path, stat: stat) }
            if stat.device != rootDevice && !options.crossFilesystems {
                return notEntered(
                    path, absolute, stat, .skipped,
                    "directory on another file system, not entered (use --cross-filesystems)")
            }
            return enter(absolute: absolute, relative: relative, stat: stat)
        }
    }

    /// Pushes a directory, or returns the entry that says why it cannot be entered.
    private func enter(absolute: PathBytes, relative: PathBytes, stat: FileStat) -> WalkEntry? {
        let path = VirtualPath(rootIndex: currentRoot, relative: relative)
        let identity = DirectoryIdentity(device: stat.device, inode: stat.inode)
        guard !ancestors.contains(identity) else {
            return notEntered(path, absolute, stat, .skipped, "directory cycle: same directory as one of its ancestors")
        }
        switch DirectoryListing.names(of: absolute, expected: stat) {
        case .failure(let failure):
            return notEntered(path, absolute, stat, failure.itemStatus, "directory could not be listed (\(failure))")
        case .success(let names):
            ancestors.insert(identity)
            stack.append(Frame(absolute: absolute, relative: relative, identity: identity, names: names))
            return nil
        }
    }

    private func notEntered(
        _ path: VirtualPath, _ absolute: PathBytes, _ stat: FileStat, _ status: ItemStatus, _ reason: String
    ) -> WalkEntry {
        WalkEntry(
            path: path, absolute: absolute, kind: .directory, stat: stat, linkTarget: nil,
            disposition: .record(status, reason: reason))
    }

    private func entry(absolute: PathBytes, path: VirtualPath, stat: FileStat) -> WalkEntry {
        switch stat.kind {
        case .file:
            return WalkEntry(path: path, absolute: absolute, kind: .file, stat: stat, linkTarget: nil, disposition: .read)
        case .symlink:
            return WalkEntry(
                path: path, absolute: absolute, kind: .symlink, stat: stat, linkTarget: readLink(absolute),
                disposition: .record(.notOpened, reason: "symbolic link, recorded and not followed"))
        case .fifo, .socket, .blockDevice, .charDevice, .other, .directory:
            return WalkEntry(
                path: path, absolute: absolute, kind: stat.kind, stat: stat, linkTarget: nil,
                disposition: .record(.notOpened, reason: "special file (\(stat.kind.rawValue)), recorded and never opened"))
        }
    }

    private func excludingPattern(_ relative: PathBytes) -> String? {
        guard !options.excludes.isEmpty else { return nil }
        let last = relative.lastComponent
        for pattern in options.excludes {
            let hit = relative.withCString { full in
                last.withCString { name in
                    fnmatch(pattern, full, 0) == 0 || fnmatch(pattern, name, 0) == 0
                }
            }
            if hit { return pattern }
        }
        return nil
    }

    private func readLink(_ path: PathBytes) -> PathBytes? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = PathLocation.with(path) { directory, name in readlinkat(directory, name, &buffer, buffer.count) }
        guard case .success(let count) = count, count >= 0 else { return nil }
        return PathBytes(buffer[..<count].map { UInt8(bitPattern: $0) })
    }
}
