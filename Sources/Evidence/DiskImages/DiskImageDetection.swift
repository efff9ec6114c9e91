/// Recognises disk images and bare file systems by their first bytes, never by name.
///
/// Structures, not single magic numbers, where a single one would claim ordinary files: an MBR
/// needs its signature and a plausible partition table, a FAT boot sector its signature, a
/// sector size and a `FAT` type field.
public enum DiskImageDetection {
    /// What the head says the item is.
    public enum Kind: String, Sendable {
        case mbr, gpt, fat, exfat, ntfs, ext, hfsPlus = "hfs+", apfs, ewf, vhd, vmdk
    }

    /// The bytes detection needs (the ext superblock's magic is at 1080).
    public static let headBytes = 4096

    /// MIME types libmagic gives raw images and file systems; anything more specific is
    /// another kind of file that happens to carry a boot-sector signature.
    private static let imageTypes: Set<String> = [
        "application/octet-stream", "application/x-raw-disk-image", "application/x-ms-ewf",
        "application/x-vhd", "application/x-virtualbox-vhd", "application/x-vmdk",
        "application/x-virtualbox-vmdk",
    ]

    /// The kind of image `head` starts, or nil.
    ///
    /// - Parameter mime: libmagic's type when known; a type outside ``imageTypes`` is never an image.
    public static func kind(mime: String?, head: UnsafeRawBufferPointer) -> Kind? {
        // Most items end here, before their head is copied. A VMDK's own descriptor file is text.
        if let mime, !imageTypes.contains(mime) {
            guard mime == "text/plain", head.starts(with: VMDKDescriptor.signature) else { return nil }
        }
        let bytes = Array(head.prefix(headBytes))
        let isVMDKDescriptor = bytes.starts(with: VMDKDescriptor.signature)
        func matches(_ text: String, at offset: Int) -> Bool {
            let expected = Array(text.utf8)
            return bytes.count >= offset + expected.count && Array(bytes[offset..<offset + expected.count]) == expected
        }
        if bytes.starts(with: [0x45, 0x56, 0x46, 0x09, 0x0D, 0x0A, 0xFF, 0x00]) {
            // Only the first segment starts an image; later ones (segment number at 9, little
            // endian) are read as part of it, and alone are just files.
            return bytes.count >= 11 && bytes[9] == 1 && bytes[10] == 0 ? .ewf : nil
        }
        if matches("conectix", at: 0) { return .vhd }
        if matches("KDMV", at: 0) { return isExtentOfSplitVMDK(bytes) ? nil : .vmdk }
        if isVMDKDescriptor {
            // A one-flat-file layout's data is a raw disk, read as one on its own.
            let type = VMDKDescriptor.createType(in: bytes[...])
            return type.map { VMDKDescriptor.singleFlatTypes.contains($0) } == true ? nil : .vmdk
        }
        if matches("EFI PART", at: 512) { return .gpt }
        if matches("NTFS    ", at: 3) { return .ntfs }
        if matches("EXFAT   ", at: 3) { return .exfat }
        if bytes.count >= 1082, bytes[1080] == 0x53, bytes[1081] == 0xEF, isExtSuperblock(bytes) { return .ext }
        if matches("H+", at: 1024) || matches("HX", at: 1024) { return .hfsPlus }
        if matches("NXSB", at: 32), isAPFSContainerSuperblock(bytes) { return .apfs }
        guard bytes.count >= 512, bytes[510] == 0x55, bytes[511] == 0xAA else { return nil }
        if isFATBootSector(bytes) { return .fat }
        if isPartitionTable(bytes) { return .mbr }
        return nil
    }

    /// A sparse extent that is one of several files of a VMDK, read through the descriptor that
    /// names it and not as an image alone: it has no descriptor of its own (VMware's split
    /// extents say so with a zero descriptor offset; qemu's leave the space blank), or the one
    /// it embeds states a multi-file layout. The descriptor's place and size are the header's
    /// little-endian sector numbers at 28 and 36.
    private static func isExtentOfSplitVMDK(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 44 else { return false }
        let offset = Int(clamping: little64(bytes, 28))
        guard offset != 0 else { return true }
        guard offset < bytes.count / 512 else { return false }
        let size = Int(clamping: little64(bytes, 36))
        let end = min(bytes.count, offset * 512 + min(size, bytes.count / 512) * 512)
        guard end > offset * 512 else { return true }
        let descriptor = bytes[(offset * 512)..<end]
        guard descriptor.starts(with: VMDKDescriptor.signature) else { return true }
        return VMDKDescriptor.createType(in: descriptor).map { !VMDKDescriptor.selfContainedTypes.contains($0) } ?? false
    }

    /// An APFS container superblock (`nx_superblock_t`) at block 0: besides the `NXSB` magic,
    /// the object type NX_SUPERBLOCK (1, in the low 16 bits of `o_type` at 24) and a block
    /// size at 36 that is a power of two from 4 to 64 KiB.
    private static func isAPFSContainerSuperblock(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 40 else { return false }
        let blockSize = little32(bytes, 36)
        return little32(bytes, 24) & 0xFFFF == 1 && (4096...65_536).contains(blockSize) && blockSize & (blockSize - 1) == 0
    }

    /// An ext2/3/4 superblock: besides the magic, a block size of 1 to 64 KiB and a non-zero
    /// inode and block count.
    private static func isExtSuperblock(_ bytes: [UInt8]) -> Bool {
        let base = 1024
        let inodes = little32(bytes, base)
        let blocks = little32(bytes, base + 4)
        let logBlockSize = little32(bytes, base + 24)
        return inodes > 0 && blocks > 0 && logBlockSize <= 6
    }

    /// A FAT boot sector: a jump instruction, a power-of-two sector size of 512 to 4096, a
    /// power-of-two cluster size and a `FAT` type field (FAT12/16 at 54, FAT32 at 82).
    private static func isFATBootSector(_ bytes: [UInt8]) -> Bool {
        guard bytes[0] == 0xEB || bytes[0] == 0xE9 else { return false }
        let sectorSize = Int(bytes[11]) | Int(bytes[12]) << 8
        let perCluster = Int(bytes[13])
        guard [512, 1024, 2048, 4096].contains(sectorSize), perCluster > 0, perCluster & (perCluster - 1) == 0 else {
            return false
        }
        let fat = Array("FAT".utf8)
        return Array(bytes[54..<57]) == fat || Array(bytes[82..<85]) == fat
    }

    /// A DOS partition table: every entry's status is 0x00 or 0x80, and at least one entry has
    /// a type and a non-zero length.
    private static func isPartitionTable(_ bytes: [UInt8]) -> Bool {
        var used = 0
        for entry in 0..<4 {
            let base = 446 + entry * 16
            guard bytes[base] == 0x00 || bytes[base] == 0x80 else { return false }
            if bytes[base + 4] != 0 && little32(bytes, base + 12) > 0 { used += 1 }
        }
        return used > 0
    }

    private static func little32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    private static func little64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
