#if canImport(Glibc)
import Glibc
#endif

/// Where an archive starts inside bytes that begin with something else: a self-extracting
/// executable (a PE or ELF program followed by a zip, 7-Zip or RAR archive), or a zip with
/// bytes in front of it.
///
/// An archive is accepted only when its own structure checks out, never on a signature alone
/// (a program may hold the signature bytes as a constant):
/// - zip: the last end-of-central-directory record in the final 64 KiB, its central directory
///   right before it, and a local header where the directory's first member says (with the
///   directory's recorded offsets taken as they are, or as shifted by the bytes in front);
/// - 7-Zip: the signature header's CRC-32 over its next-header fields;
/// - RAR 4: the marker block followed by a main header (type 0x73); RAR 5: the marker
///   followed by a main header (type 1).
public enum EmbeddedArchive {
    /// The archive kinds found after other bytes.
    public enum Kind: String, Sendable {
        case zip, sevenZip = "7z", rar
    }

    /// True when `head` starts as a program: "MZ" (DOS and PE) or "\x7FELF".
    public static func isExecutable(_ head: UnsafeRawBufferPointer) -> Bool {
        head.starts(with: [0x4D, 0x5A]) || head.starts(with: [0x7F, 0x45, 0x4C, 0x46])
    }

    /// True when `head` holds a zip local header signature after its first byte (a zip with
    /// bytes in front of it, which libmagic calls data).
    public static func holdsZipHeader(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count > 4 else { return false }
        return find(zipLocal, in: head, from: 1) != nil
    }

    /// The earliest archive after the first byte whose structure checks out, or nil.
    public static func locate(in bytes: UnsafeRawBufferPointer) -> (offset: Int, kind: Kind)? {
        var found: [(offset: Int, kind: Kind)] = []
        if let zip = zipStart(in: bytes), zip > 0 { found.append((zip, .zip)) }
        if let sevenZip = first(sevenZipSignature, in: bytes, where: isSevenZipHeader) { found.append((sevenZip, .sevenZip)) }
        if let rar = first(rarMarker, in: bytes, where: isRARHeader) { found.append((rar, .rar)) }
        return found.min { $0.offset < $1.offset }
    }

    private static let zipLocal: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    private static let zipCentral: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    private static let zipEnd: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    private static let sevenZipSignature: [UInt8] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]
    private static let rarMarker: [UInt8] = Array("Rar!".utf8) + [0x1A, 0x07]

    /// Where the zip whose end record closes `bytes` starts, or nil when there is none or its
    /// directory does not check out.
    static func zipStart(in bytes: UnsafeRawBufferPointer) -> Int? {
        zipStart(size: Int64(bytes.count)) { offset, count in
            guard offset >= 0, offset < Int64(bytes.count) else { return [] }
            return Array(bytes[Int(offset)..<min(bytes.count, Int(offset) + count)])
        }.map { Int($0) }
    }

    /// Where a zip after other bytes starts in a file read with random access (a padded zip or
    /// a program on disk larger than `seekable_archive_bytes`), checked as ``locate(in:)``
    /// checks one in memory, reading only the end (up to 66 KiB), the directory's first entry
    /// and a local header; nil when there is none or it starts at the first byte. Only zips
    /// are looked for: a 7-Zip or RAR archive after a program is searched for in memory only.
    public static func zipStart(in random: any RandomAccessInput) -> Int64? {
        let start = zipStart(size: random.size) { offset, count in
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let read = bytes.withUnsafeMutableBytes { buffer in
                    (try? random.read(at: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))) ?? 0
                }
                if read <= 0 { break }
                filled += read
            }
            return Array(bytes[0..<filled])
        }
        return start.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The zip start in `size` bytes read through `read(offset, count)` (fewer bytes at the end).
    private static func zipStart(size: Int64, read: (Int64, Int) -> [UInt8]) -> Int64? {
        guard size >= 22 else { return nil }
        // The last end record: it is at most 65,535 (comment) + 22 bytes from the end, and a
        // little padding after it is tolerated as libarchive tolerates it.
        let windowStart = max(0, size - Int64(65_535 + 22 + 1024))
        let window = read(windowStart, Int(size - windowStart))
        var at = window.count - 22
        while at >= 0, !window[at...].starts(with: zipEnd) { at -= 1 }
        guard at >= 0 else { return nil }
        let end = windowStart + Int64(at)
        let directorySize = Int64(le32(window, at + 12)), recordedOffset = Int64(le32(window, at + 16))
        let directory = end - directorySize
        guard directorySize > 0, directory >= 0, directory >= recordedOffset else { return nil }
        let central = read(directory, 46)
        guard central.starts(with: zipCentral) else { return nil }
        // The first member's local header, at the recorded offset as is (a builder that
        // adjusted the offsets) or shifted by the bytes in front (one that did not).
        let firstLocal = Int64(le32(central, 42))
        for shift in [0, directory - recordedOffset] {
            let local = firstLocal + shift
            if local >= 0, local < size, read(local, 4) == zipLocal { return local }
        }
        return nil
    }

    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes.withUnsafeBytes { le32($0, at) }
    }

    private static func isSevenZipHeader(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Bool {
        guard at + 32 <= bytes.count else { return false }
        return le32(bytes, at + 8) == crc32(UnsafeRawBufferPointer(rebasing: bytes[(at + 12)..<(at + 32)]))
    }

    private static func isRARHeader(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Bool {
        guard at + 13 <= bytes.count else { return false }
        switch bytes[at + 6] {
        case 0x00: return bytes[at + 9] == 0x73  // RAR 4: CRC16, then the main header's type
        case 0x01: return bytes[at + 7] == 0x00 && bytes[at + 13] == 0x01  // RAR 5: CRC32, size, type 1
        default: return false
        }
    }

    /// The first offset after 0 where `pattern` occurs and `valid` accepts it.
    private static func first(
        _ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, where valid: (UnsafeRawBufferPointer, Int) -> Bool
    ) -> Int? {
        var from = 1
        while let at = find(pattern, in: bytes, from: from) {
            if valid(bytes, at) { return at }
            from = at + 1
        }
        return nil
    }

    private static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        // memchr for the first byte (fast), then a comparison of the rest.
        guard let base = bytes.baseAddress, let lead = pattern.first else { return nil }
        var at = from
        while at + pattern.count <= bytes.count {
            guard let hit = memchr(base + at, Int32(lead), bytes.count - at) else { return nil }
            at = base.distance(to: UnsafeRawPointer(hit))
            if matches(pattern, in: bytes, at: at) { return at }
            at += 1
        }
        return nil
    }

    private static func matches(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, at: Int) -> Bool {
        guard at >= 0, at + pattern.count <= bytes.count else { return false }
        return pattern.indices.allSatisfy { bytes[at + $0] == pattern[$0] }
    }

    private static func le32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= bytes.count else { return 0 }
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) }
    }

    /// CRC-32 (the zip and 7-Zip polynomial), bit by bit: only a 20-byte header is checked.
    private static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
