/// Which detected types are containers the scanner opens, decided by content (libmagic's MIME
/// type), never by name.
public enum ArchiveDetection {
    /// MIME types libarchive reads as streams, member after member.
    static let streamable: Set<String> = [
        "application/zip", "application/x-tar", "application/gzip", "application/x-gzip",
        "application/x-bzip2", "application/x-xz", "application/x-lzma", "application/zstd",
        "application/x-zstd", "application/x-lz4", "application/x-lzip", "application/x-compress",
        "application/x-iso9660-image", "application/x-cpio", "application/x-archive",
        "application/vnd.ms-cab-compressed", "application/x-xar", "application/x-lha",
        "application/x-lzh-compressed", "application/x-rar", "application/vnd.rar",
        "application/java-archive", "application/x-debian-package",
    ]

    /// Zip-based document and package formats: their members (embedded pictures above all)
    /// are examined like any zip's.
    static let zipBasedPrefixes = [
        "application/vnd.openxmlformats-officedocument.", "application/vnd.oasis.opendocument.",
        "application/epub+zip", "application/vnd.android.package-archive",
    ]

    /// MIME types whose index sits at the end, so libarchive needs to seek (7-Zip).
    static let needsSeeking: Set<String> = ["application/x-7z-compressed"]

    /// How a container of this type is read, or nil when it is not one.
    public static func access(for mime: String?) -> ContainerAccess? {
        guard let mime else { return nil }
        if streamable.contains(mime) { return .streaming }
        if zipBasedPrefixes.contains(where: { mime.hasPrefix($0) }) { return .streaming }
        if needsSeeking.contains(mime) { return .seeking }
        return nil
    }
}
