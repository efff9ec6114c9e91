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
/// - Directories are walked by descriptor (each opened from its parent's ``DirectoryHandle``),
///   so the cost of a step does not grow with the depth and there is no `PATH_MAX` limit.
///   Only the deepest ``openHandleLimit`` directories on the current path keep theirs open; a
///   shallower one is opened again from its child's `..` (checked to be the same directory)
///   when the walk climbs back to it.
/// - Memory is bounded by the sizes of the directories on the current path, not by the tree;
///   a frame keeps its own name only, and an entry's path is built when it is yielded.
/// - `shouldStop` is asked before every step: an interrupted walk ends within one step, even
///   inside a long chain of directories that yields no entry.
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

    /// Directories on the current path that keep their descriptor open.
    static let openHandleLimit = 64

    private struct Frame {
        /// The directory's own name (empty for a root).
        var name: PathBytes
        var stat: FileStat
        var handle: DirectoryHandle?
        var names: [PathBytes]
        var next: Int = 0
        /// The root-relative path, kept for the top frame only.
        var relative: PathBytes?
    }

    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ stat: FileStat) {
            device = stat.device
            inode = stat.inode
        }
    }

    private let roots: [PathBytes]
    private let options: Options
    private let shouldStop: @Sendable () -> Bool
    private var nextRoot = 0
    private var currentRoot = 0
    private var rootDevice: UInt64 = 0
    private var stack: [Frame] = []
    private var ancestors: Set<DirectoryIdentity> = []

    /// A walker over `roots` (absolute paths, already checked to exist) that ends early once
    /// `shouldStop` answers true.
    public init(roots: [PathBytes], options: Options = Options(), shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.roots = roots
        self.options = options
        self.shouldStop = shouldStop
    }

    /// The next entry, or nil when every root is done (or the walk was stopped).
    public func next() -> WalkEntry? {
        while !shouldStop() {
            guard !stack.isEmpty else {
                guard nextRoot < roots.count else { return nil }
                if let entry = startRoot(nextRoot) { return entry }
                continue
            }
            let top = stack.count - 1
            guard stack[top].next < stack[top].names.count else {
                leaveTop()
                continue
            }
            let name = stack[top].names[stack[top].next]
            stack[top].next += 1
            guard let directory = handle(ofFrame: top) else {
                // The directory could not be opened again: what is left in it is recorded, not read.
                return WalkEntry(
                    path: VirtualPath(rootIndex: currentRoot, relative: relativePath(appending: name)),
                    location: .root(PathBytes([])), kind: .other, stat: nil, linkTarget: nil,
                    disposition: .record(.vanished, reason: "its directory was moved or replaced during the scan"))
            }
            if let entry = visit(name, in: directory) { return entry }
        }
        return nil
    }

    // MARK: - Roots and directories

    private func startRoot(_ index: Int) -> WalkEntry? {
        nextRoot = index + 1
        currentRoot = index
        let root = roots[index]
        let path = VirtualPath(rootIndex: index, relative: root.lastComponent)
        switch FileStat.of(.root(root), followingLinks: true) {
        case .failure(let failure):
            return WalkEntry(
                path: path, location: .root(root), kind: .other, stat: nil, linkTarget: nil,
                disposition: .record(failure.itemStatus, reason: "root could not be examined (\(failure))"))
        case .success(let stat):
            rootDevice = stat.device
            if stat.kind == .blockDevice {
                // `scan /dev/sdX`: a device named as a root is read (read-only) as a raw image;
                // devices met inside a folder are still recorded and never opened.
                return WalkEntry(
                    path: path, location: .root(root), kind: .blockDevice, stat: stat, linkTarget: nil, disposition: .read)
            }
            guard stat.kind == .directory else {
                return entry(at: .root(root), path: path, stat: stat)
            }
            return enter(.root(root), name: PathBytes([]), stat: stat)
        }
    }

    private func visit(_ name: PathBytes, in directory: DirectoryHandle) -> WalkEntry? {
        let location = EntryLocation.inDirectory(directory, name)
        switch FileStat.of(location) {
        case .failure(let failure):
            return WalkEntry(
                path: entryPath(name), location: location, kind: .other, stat: nil, linkTarget: nil,
                disposition: .record(failure.itemStatus, reason: "listed but could not be examined (\(failure))"))
        case .success(let stat):
            if let pattern = excludingPattern(name) {
                return WalkEntry(
                    path: entryPath(name), location: location, kind: stat.kind, stat: stat, linkTarget: nil,
                    disposition: .record(.skipped, reason: "excluded by --exclude '\(pattern)'"))
            }
            guard stat.kind == .directory else { return entry(at: location, path: entryPath(name), stat: stat) }
            if stat.device != rootDevice && !options.crossFilesystems {
                return notEntered(
                    name, location, stat, .skipped,
                    "directory on another file system, not entered (use --cross-filesystems)")
            }
            return enter(location, name: name, stat: stat)
        }
    }

    /// Pushes a directory, or returns the entry that says why it cannot be entered.
    private func enter(_ location: EntryLocation, name: PathBytes, stat: FileStat) -> WalkEntry? {
        let identity = DirectoryIdentity(stat)
        guard !ancestors.contains(identity) else {
            return notEntered(name, location, stat, .skipped, "directory cycle: same directory as one of its ancestors")
        }
        let listed = DirectoryHandle.open(location, expected: stat).flatMap { handle in
            DirectoryListing.names(of: handle).map { (handle, $0) }
        }
        switch listed {
        case .failure(let failure):
            return notEntered(name, location, stat, failure.itemStatus, "directory could not be listed (\(failure))")
        case .success(let (handle, names)):
            let relative = stack.isEmpty ? PathBytes([]) : relativePath(appending: name)
            if !stack.isEmpty { stack[stack.count - 1].relative = nil }
            ancestors.insert(identity)
            stack.append(Frame(name: name, stat: stat, handle: handle, names: names, relative: relative))
            // Only the deepest directories keep a descriptor; the one falling out of that window
            // is opened again from its child if the walk needs it.
            let released = stack.count - 1 - Self.openHandleLimit
            if released >= 0 { stack[released].handle = nil }
            return nil
        }
    }

    /// Pops the finished top directory, keeping the way back to its parent open.
    private func leaveTop() {
        guard let finished = stack.popLast() else { return }
        ancestors.remove(DirectoryIdentity(finished.stat))
        let parent = stack.count - 1
        guard parent >= 0, stack[parent].handle == nil, stack[parent].next < stack[parent].names.count,
            let child = finished.handle
        else { return }
        stack[parent].handle = DirectoryHandle.parent(of: child, expected: stack[parent].stat)
    }

    /// The handle of frame `index`, opened again (from the root down, by descriptor) when
    /// neither it nor its child kept one.
    private func handle(ofFrame index: Int) -> DirectoryHandle? {
        if let handle = stack[index].handle { return handle }
        var nearest = index
        while nearest >= 0, stack[nearest].handle == nil { nearest -= 1 }
        var current: DirectoryHandle
        if nearest < 0 {
            guard case .success(let root) = DirectoryHandle.open(.root(roots[currentRoot]), expected: stack[0].stat)
            else { return nil }
            current = root
            stack[0].handle = root
            nearest = 0
        } else {
            guard let handle = stack[nearest].handle else { return nil }
            current = handle
        }
        var depth = nearest + 1
        while depth <= index {
            guard case .success(let opened) = DirectoryHandle.open(
                .inDirectory(current, stack[depth].name), expected: stack[depth].stat)
            else { return nil }
            current = opened
            depth += 1
        }
        stack[index].handle = current
        return current
    }

    // MARK: - Entries

    /// The root-relative path of `name` in the top directory; the top frame keeps its own.
    private func relativePath(appending name: PathBytes) -> PathBytes {
        let top = stack.count - 1
        if top >= 0, stack[top].relative == nil {
            var bytes: [UInt8] = []
            for frame in stack.dropFirst() {
                if !bytes.isEmpty { bytes.append(UInt8(ascii: "/")) }
                bytes += frame.name.bytes
            }
            stack[top].relative = PathBytes(bytes)
        }
        return (top >= 0 ? stack[top].relative ?? PathBytes([]) : PathBytes([])).appending(name)
    }

    private func entryPath(_ name: PathBytes) -> VirtualPath {
        VirtualPath(rootIndex: currentRoot, relative: relativePath(appending: name))
    }

    private func notEntered(
        _ name: PathBytes, _ location: EntryLocation, _ stat: FileStat, _ status: ItemStatus, _ reason: String
    ) -> WalkEntry {
        let path = stack.isEmpty ? VirtualPath(rootIndex: currentRoot, relative: PathBytes([])) : entryPath(name)
        return WalkEntry(
            path: path, location: location, kind: .directory, stat: stat, linkTarget: nil,
            disposition: .record(status, reason: reason))
    }

    private func entry(at location: EntryLocation, path: VirtualPath, stat: FileStat) -> WalkEntry {
        switch stat.kind {
        case .file:
            return WalkEntry(path: path, location: location, kind: .file, stat: stat, linkTarget: nil, disposition: .read)
        case .symlink:
            return WalkEntry(
                path: path, location: location, kind: .symlink, stat: stat, linkTarget: readLink(location),
                disposition: .record(.notOpened, reason: "symbolic link, recorded and not followed"))
        case .fifo, .socket, .blockDevice, .charDevice, .other, .directory:
            return WalkEntry(
                path: path, location: location, kind: stat.kind, stat: stat, linkTarget: nil,
                disposition: .record(.notOpened, reason: "special file (\(stat.kind.rawValue)), recorded and never opened"))
        }
    }

    private func excludingPattern(_ name: PathBytes) -> String? {
        guard !options.excludes.isEmpty else { return nil }
        let relative = relativePath(appending: name)
        for pattern in options.excludes {
            let hit = relative.withCString { full in
                name.withCString { last in
                    fnmatch(pattern, full, 0) == 0 || fnmatch(pattern, last, 0) == 0
                }
            }
            if hit { return pattern }
        }
        return nil
    }

    private func readLink(_ location: EntryLocation) -> PathBytes? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = location.withLocation { directory, name in readlinkat(directory, name, &buffer, buffer.count) }
        guard case .success(let count) = count, count >= 0 else { return nil }
        return PathBytes(buffer[..<count].map { UInt8(bitPattern: $0) })
    }
}
