import BlindfoldCore

/// An opened container: a sequence of member entries, each followed by its bytes.
///
/// Archives are containers today; disk images, volumes, file systems and carved regions are
/// containers too. The scanner drives every kind the same way (``next()``, then
/// ``readData(into:)`` for a member it reads), and owns recursion, limits, batching and
/// record order, so a kind only parses.
///
/// The contract is a pull over a stream, on purpose: a parser that runs in a worker process
/// can answer the same calls with frames read from its socket (entry, data, end or failure),
/// so isolating a parser changes which conformer is used, not the pipeline.
///
/// Not `Sendable`: one worker owns a container from opening to its last member.
public protocol Container: AnyObject {
    /// The format recorded in each member's layer (`zip`, `tar.gz`, `7z`, ...).
    var formatName: String { get }

    /// The next member, the end, or why the container cannot be read further. After a
    /// `.failure` or `.end` the scanner asks nothing more of this container.
    func next() -> ContainerStep

    /// Reads the current member's next bytes; 0 at its end.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int

    /// For a disk image, its size and volume layout, recorded on its own record (nil for
    /// every other kind: the default).
    var diskLayout: DiskLayout? { get }
    /// Facts the parser noticed about the current member that are not failures (a bad CRC, a
    /// size other than declared), as `kind: sentence` notes without content. Read after the
    /// member's data; reset by ``next()``.
    var memberNotes: [String] { get }
    /// How many of the current member's bytes so far were a sparse file's holes: zeros the
    /// archive declares rather than stores (a GNU sparse tar). They count against the absolute
    /// expansion limit but not against the ratio, which measures what a decompressor made.
    var sparseHoleBytes: Int64 { get }
}

extension Container {
    /// No notes, for parsers that raise none.
    public var memberNotes: [String] { [] }
    /// No holes, for formats without sparse members.
    public var sparseHoleBytes: Int64 { 0 }
}

extension ContainerFormat {
    /// Every item this format recognises is one of its containers.
    public func claims(memory: UnsafeRawBufferPointer) -> Bool { true }

    /// Every file on disk this format recognises is one of its containers.
    public func claims(random: any RandomAccessInput) -> Bool { true }
}

/// How a container is read.
public enum ContainerAccess: Sendable, Hashable {
    /// Front to back, in the same pass that hashes the container.
    case streaming
    /// With random access: the container's bytes are hashed first and held in memory (up to
    /// the `seekable_archive_bytes` limit) for the parser.
    case seeking
    /// With random access at any size: the container's bytes are hashed first, then the
    /// parser reads where it needs from the file itself (``ContainerFormat/open(random:)``),
    /// never copying it. A container that is not a file on disk (a member) is held in memory
    /// as for ``seeking``.
    case randomAccess
    /// Held in memory and read with random access when its size is known and within
    /// `seekable_archive_bytes`; otherwise, when it is a file on disk and `fromFileWhenLarge`,
    /// hashed first and read with random access from the file as for ``randomAccess``
    /// (``ContainerFormat/open(random:)``); otherwise streamed (`orStreamed`) or not opened at
    /// all (hashed only). Zips (read with both zip readers) and items that may carry an archive
    /// after other bytes (self-extracting programs) are read so.
    case inMemoryWhenSmall(orStreamed: Bool, fromFileWhenLarge: Bool = false)
}

/// A kind of container: recognises its items and opens them.
///
/// The scanner asks every format in its list, in order, after an item has been identified;
/// the first that answers with an access opens it.
public protocol ContainerFormat: Sendable {
    /// How an item of this type is read as a container, or nil when it is not one of this kind.
    ///
    /// - Parameters:
    ///   - mime: the type libmagic detected (nil without sniffing).
    ///   - head: the item's first bytes (at most the sniffing window).
    func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess?

    /// The format that parses: this one, or for a wrapper whose parser runs elsewhere (a
    /// container worker) the format it wraps. The header reads a format's settings from it.
    var parsingFormat: any ContainerFormat { get }

    /// Opens the container over its bytes.
    func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container

    /// Whether bytes held in memory are a container of this kind after all (an item claimed
    /// by ``access(mime:head:)`` on a guess, a program that may carry an archive); when not,
    /// the item keeps its plain record. The default: always.
    func claims(memory: UnsafeRawBufferPointer) -> Bool

    /// The same for a file on disk read with random access (``ContainerFormat/open(random:)``),
    /// asked after it was hashed. The default: always.
    func claims(random: any RandomAccessInput) -> Bool

    /// Opens the container over random access to its bytes (formats that answer
    /// ``ContainerAccess/randomAccess``; the default refuses).
    func open(random: any RandomAccessInput) throws(ItemReadError) -> any Container

    /// Opens the container over random access to the files it is made of, in order (one for a
    /// plain image, one per segment of a split or multi-segment one): how a container worker
    /// opens the files the scanner handed it by descriptor. The default reads one file with
    /// ``open(random:)`` and refuses several.
    func open(segments: [any RandomAccessInput]) throws(ItemReadError) -> any Container

    /// The files an item read with random access is made of, in order: the item itself, and
    /// for a format made of segments (E01, split raw) the files beside it. The scanner hands
    /// them all to a container worker. The default is the item alone.
    func files(of input: any RandomAccessInput) throws(ItemReadError) -> [any RandomAccessInput]
}

extension ContainerFormat {
    /// Itself: a format parses its own items unless it wraps another.
    public var parsingFormat: any ContainerFormat { self }
}

extension ContainerFormat {
    /// The item alone: most formats are one file.
    public func files(of input: any RandomAccessInput) throws(ItemReadError) -> [any RandomAccessInput] { [input] }
}
