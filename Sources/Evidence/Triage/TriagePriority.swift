#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// The order a triage reads things in: what is likely to be media first, operating-system and
/// program folders last.
public enum TriagePriority: Int, Sendable, Comparable, CaseIterable {
    /// Pictures, videos and archives, by name or by their first bytes.
    case media = 0
    /// Everything else outside system folders.
    case other = 1
    /// Operating-system and program folders (first path component under the root).
    case system = 2
    /// Files of 64 MiB or more that are not media (disk images, databases): slow, read last.
    case large = 3

    /// Non-media files from this size on are read last.
    public static let largeFileBytes: Int64 = 64 << 20

    public static func < (lhs: TriagePriority, rhs: TriagePriority) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Extensions of pictures, videos and archives.
    static let mediaExtensions: Set<String> = [
        "jpg", "jpeg", "jpe", "jfif", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif", "avif", "dng",
        "cr2", "nef", "arw", "mp4", "m4v", "mov", "avi", "mkv", "webm", "wmv", "mpg", "mpeg", "3gp", "flv",
        "zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "xz", "zst", "iso", "cpio",
    ]

    /// First path components (compared without case) that hold the operating system or programs.
    public static let systemFolders: Set<String> = [
        "windows", "program files", "program files (x86)", "programdata", "$windows.~bt", "$windows.~ws",
        "usr", "lib", "lib32", "lib64", "bin", "sbin", "etc", "boot", "proc", "sys", "run", "snap",
        "system", "library", "applications", "private", "cores",
    ]

    /// Leading bytes of pictures, videos and archives: (offset, bytes).
    static let signatures: [(Int, [UInt8])] = [
        (0, [0xFF, 0xD8, 0xFF]), (0, [0x89, 0x50, 0x4E, 0x47]), (0, Array("GIF8".utf8)), (8, Array("WEBP".utf8)),
        (8, Array("AVI ".utf8)), (4, Array("ftyp".utf8)), (0, [0x1A, 0x45, 0xDF, 0xA3]), (0, Array("II*".utf8) + [0]),
        (0, Array("MM".utf8) + [0, 0x2A]), (0, Array("PK".utf8) + [3, 4]), (0, Array("7z".utf8) + [0xBC, 0xAF]),
        (0, Array("Rar!".utf8)), (0, [0x1F, 0x8B]),
    ]

    /// The priority of a walk entry; files without a telling extension have their first 12
    /// bytes looked at (read-only, like every read of evidence).
    public static func of(_ entry: WalkEntry) -> TriagePriority {
        let first = entry.path.relative.bytes.split(separator: UInt8(ascii: "/"), maxSplits: 1).first
        let inSystemFolder = first.map { name in
            entry.path.relative.bytes.contains(UInt8(ascii: "/"))
                && systemFolders.contains(String(decoding: name, as: UTF8.self).lowercased())
        } ?? false
        guard case .read = entry.disposition else { return inSystemFolder ? .system : .other }
        if !inSystemFolder, let ext = entry.path.relative.fileExtension, mediaExtensions.contains(ext) { return .media }
        if !inSystemFolder, looksLikeMedia(entry.location) { return .media }
        if (entry.stat?.size ?? 0) >= largeFileBytes { return .large }
        return inSystemFolder ? .system : .other
    }

    private static func looksLikeMedia(_ location: EntryLocation) -> Bool {
        guard case .success(let fd) = ReadOnlyOpen.open(location) else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 12)
        let count = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        let bytes = head[0..<count]
        return signatures.contains { offset, magic in
            offset + magic.count <= bytes.count && bytes[offset..<(offset + magic.count)].elementsEqual(magic)
        }
    }
}
