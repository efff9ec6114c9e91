import BlindfoldCore

/// A zip read with both of libarchive's zip readers, so that a member only one of them sees
/// is still examined: from memory (a small zip, a member) or from the evidence file itself
/// (a zip on disk larger than `seekable_archive_bytes`), through one ``RandomAccessInput``.
///
/// A zip lists its members twice: a local header before each member's data, and the central
/// directory at the end. Tools that extract read the directory; a stream reader walks the
/// local headers. The two can disagree (a member appended or hidden after the directory, a
/// directory that names data no local header walk reaches, bytes in front that shift every
/// offset), and a forensic tool reports both. Members are produced in the order of the local
/// headers (as a streamed zip always was, so records keep their order), each one the directory
/// does not list noted `local_header_only`; then the members only the directory lists, in its
/// order, noted `central_directory_only`. Both kinds are read and hashed like any member.
///
/// Cost: the directory is listed once before the walk (libarchive reads the directory and each
/// member's local header, no member data), and a member only the directory lists is read
/// through a second reader at the end. Without a readable directory (a truncated zip) the
/// walk alone is used and nothing is noted. A member whose local walk failed (bad data) is
/// followed by the directory's members the walk did not reach; the container then still ends
/// with the walk's failure.
///
/// Matching is by stored name, counting duplicates: two members with one name in the
/// directory and one local header make one `central_directory_only` member.
///
/// Not `Sendable`: owned by one reader.
public final class ZipCrossCheck: Container {
    /// The note on a member only the local headers list.
    public static let localHeaderOnly =
        "local_header_only: the member has a local header but the central directory does not list it (tools that read the directory do not show it)"
    /// The note on a member only the central directory lists.
    public static let centralDirectoryOnly =
        "central_directory_only: the central directory lists the member but walking the local headers front to back does not reach it"

    private let random: any RandomAccessInput
    /// The reader of the current phase: the local-header walk, then the directory.
    private var reader: ArchiveReader
    private var inDirectoryPhase = false
    /// Directory names (with counts) not yet matched by a local header; nil without a directory.
    private var directoryLeft: [PathBytes: Int]?
    /// Names the local walk produced (with counts), matched off in the directory phase.
    private var walked: [PathBytes: Int] = [:]
    /// How the local walk ended, returned once the directory's extra members were produced.
    private var walkEnding: ContainerStep = .end
    private var note: String?

    /// A zip whose local headers start at `zipStart` in `random` (0 for a plain zip; after
    /// the program of a self-extracting one). `random` is read where the readers need, never
    /// copied whole.
    public init(random: any RandomAccessInput, zipStart: Int64 = 0) throws(ItemReadError) {
        self.random = random
        reader = try ArchiveReader(random: random, start: zipStart, readers: .zipLocalHeaders)
        directoryLeft = Self.directoryNames(random)
    }

    /// A zip in memory (see ``init(random:zipStart:)``). `memory` must stay valid for the
    /// reader's life.
    public convenience init(memory: UnsafeRawBufferPointer, zipStart: Int = 0) throws(ItemReadError) {
        try self.init(random: MemoryRandomAccess(memory), zipStart: Int64(zipStart))
    }

    /// The names the central directory lists, with counts; nil when it cannot be read.
    private static func directoryNames(_ random: any RandomAccessInput) -> [PathBytes: Int]? {
        guard let directory = try? ArchiveReader(random: random, readers: .zipCentralDirectory) else { return nil }
        var names: [PathBytes: Int] = [:]
        while case .entry(let entry) = directory.next() { names[entry.name, default: 0] += 1 }
        return names
    }

    public var formatName: String { reader.formatName }

    public var memberNotes: [String] { reader.memberNotes + (note.map { [$0] } ?? []) }

    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        try reader.readData(into: buffer)
    }

    public func next() -> ContainerStep {
        note = nil
        if !inDirectoryPhase {
            let step = reader.next()
            guard case .entry(let entry) = step else { return startDirectoryPhase(after: step) }
            walked[entry.name, default: 0] += 1
            if let left = directoryLeft?[entry.name], left > 0 {
                directoryLeft?[entry.name] = left - 1
            } else if directoryLeft != nil {
                note = Self.localHeaderOnly
            }
            return step
        }
        while true {
            let step = reader.next()
            guard case .entry(let entry) = step else {
                if case .failure = walkEnding { return walkEnding }
                return step
            }
            if let seen = walked[entry.name], seen > 0 {
                walked[entry.name] = seen - 1
                continue
            }
            note = Self.centralDirectoryOnly
            return step
        }
    }

    /// After the local walk ended with `ending`: switches to the directory when it lists
    /// members the walk did not produce; otherwise the walk's ending is the container's.
    private func startDirectoryPhase(after ending: ContainerStep) -> ContainerStep {
        guard let left = directoryLeft, left.values.contains(where: { $0 > 0 }),
              let directory = try? ArchiveReader(random: random, readers: .zipCentralDirectory)
        else { return ending }
        walkEnding = ending
        reader = directory
        inDirectoryPhase = true
        return next()
    }
}
