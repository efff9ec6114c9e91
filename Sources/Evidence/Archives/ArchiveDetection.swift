/// Which detected types are containers the scanner opens, decided by content (libmagic's MIME
/// type), never by name.
public enum ArchiveDetection {
    /// MIME types libarchive reads as streams, member after member.
    static let streamable: Set<String> = [
        "application/x-tar", "application/gzip", "application/x-gzip",
        "application/x-bzip2", "application/x-xz", "application/x-lzma", "application/zstd",
        "application/x-zstd", "application/x-lz4", "application/x-lzip", "application/x-compress",
        "application/x-iso9660-image", "application/x-cpio", "application/x-archive",
        "application/vnd.ms-cab-compressed", "application/x-xar", "application/x-lha",
        "application/x-lzh-compressed", "application/x-rar", "application/vnd.rar",
        "application/x-debian-package",
        // Readers libarchive has and Blindfold enables, but never reached (#13, finding 6).
        "application/x-rpm", "application/warc",
    ]

    /// Zip-based document and package formats: their members (embedded pictures above all)
    /// are examined like any zip's.
    static let zipBasedPrefixes = [
        "application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.",
        "application/epub+zip", "application/vnd.android.package-archive",
    ]

    /// MIME types whose index sits at the end, so libarchive needs to seek (7-Zip).
    static let needsSeeking: Set<String> = ["application/x-7z-compressed"]

    /// Leading bytes that make an item a container whatever libmagic calls it (a zip whose
    /// first member libmagic cannot place is `data` to it; the streaming readers decide from
    /// these same bytes): zip local header, RPM lead, WARC record, 7-Zip signature.
    static let signatures: [(bytes: [UInt8], access: ContainerAccess)] = [
        ([0x50, 0x4B, 0x03, 0x04], .inMemoryWhenSmall(orStreamed: true, fromFileWhenLarge: true)),
        ([0xED, 0xAB, 0xEE, 0xDB], .streaming),
        (Array("WARC/".utf8), .streaming),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], .seeking),
    ]

    /// How a container is read, from its type or else its first bytes; nil when it is not one
    /// (or when nothing was sniffed: `--no-sniff` opens no container).
    public static func access(for mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        guard mime != nil else { return nil }
        // A zip after other bytes (a self-extracting program, padding in front) is
        // EmbeddedArchiveFormat's: the readers here start at the first byte.
        if let mime, zips.contains(mime), !head.isEmpty, !head.starts(with: [0x50, 0x4B]) { return nil }
        if let access = access(for: mime) { return access }
        return signatures.first { head.starts(with: $0.bytes) }?.access
    }

    /// Zip types: held in memory when small, read from the file when larger (a zip on disk),
    /// so both zip readers can list them (``ZipCrossCheck``); a larger member is streamed.
    static let zips: Set<String> = ["application/zip", "application/java-archive"]

    /// How a container of this type is read, or nil when it is not one.
    public static func access(for mime: String?) -> ContainerAccess? {
        guard let mime else { return nil }
        if zips.contains(mime) || zipBasedPrefixes.contains(where: { mime.hasPrefix($0) }) {
            return .inMemoryWhenSmall(orStreamed: true, fromFileWhenLarge: true)
        }
        if streamable.contains(mime) { return .streaming }
        if needsSeeking.contains(mime) { return .seeking }
        return nil
    }
}
