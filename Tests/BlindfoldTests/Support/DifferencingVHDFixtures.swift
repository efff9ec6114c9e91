import Foundation

/// Differencing VHDs written by the test itself (no tool on this system writes one): a child
/// whose blocks hold exactly the sectors where `target` differs from `base`, over a parent VHD
/// of `base`, laid out as the VHD specification gives it (footer copy, dynamic header naming
/// the parent, block allocation table, blocks of a sector bitmap and data, footer).
enum DifferencingVHDFixtures {
    private static let blockBytes = 2 << 20
    private static let sectorBytes = 512

    /// Writes to `output` a differencing VHD over `parent` (a VHD of `base`) that reads as
    /// `target`. The child's header names its parent `parentName` (UTF-16, as written) and its
    /// own identifier is 16 bytes of `identifierByte`.
    static func write(
        parent: URL, parentName: String, base: URL, target: URL, to output: URL, identifierByte: UInt8
    ) throws {
        let parentFile = [UInt8](try Data(contentsOf: parent))
        let parentFooter = Array(parentFile.suffix(512))
        let mediaBytes = Int(bigEndian(parentFooter[48..<56]))
        let baseBytes = [UInt8](try Data(contentsOf: base))
        let targetBytes = [UInt8](try Data(contentsOf: target))
        let blocks = (mediaBytes + blockBytes - 1) / blockBytes
        let tableBytes = (blocks * 4 + sectorBytes - 1) / sectorBytes * sectorBytes
        let tableOffset = 512 + 1024
        var table = [UInt8](repeating: 0xFF, count: tableBytes)
        var body: [UInt8] = []
        let sectorsPerBlock = blockBytes / sectorBytes
        for block in 0..<blocks {
            var bitmap = [UInt8](repeating: 0, count: (sectorsPerBlock / 8 + sectorBytes - 1) / sectorBytes * sectorBytes)
            var changed = false
            for sector in 0..<sectorsPerBlock {
                let start = block * blockBytes + sector * sectorBytes
                guard start < mediaBytes else { break }
                if sectorOf(baseBytes, at: start) != sectorOf(targetBytes, at: start) {
                    bitmap[sector / 8] |= 0x80 >> UInt8(sector % 8)
                    changed = true
                }
            }
            guard changed else { continue }
            let offset = tableOffset + tableBytes + body.count
            put(UInt32(offset / sectorBytes), into: &table, at: block * 4)
            body += bitmap
            for sector in 0..<sectorsPerBlock {
                body += sectorOf(targetBytes, at: block * blockBytes + sector * sectorBytes)
            }
        }

        var footer = [UInt8](repeating: 0, count: 512)
        footer.replaceSubrange(0..<8, with: Array("conectix".utf8))
        put(UInt32(2), into: &footer, at: 8)
        put(UInt32(0x0001_0000), into: &footer, at: 12)
        put(UInt64(512), into: &footer, at: 16)
        put(UInt32(bigEndian(parentFooter[24..<28]) + 1), into: &footer, at: 24)
        footer.replaceSubrange(28..<32, with: Array("bfld".utf8))
        put(UInt32(0x0001_0000), into: &footer, at: 32)
        footer.replaceSubrange(36..<40, with: Array("Wi2k".utf8))
        footer.replaceSubrange(40..<60, with: parentFooter[40..<60])
        put(UInt32(4), into: &footer, at: 60)
        footer.replaceSubrange(68..<84, with: [UInt8](repeating: identifierByte, count: 16))
        put(checksum(footer), into: &footer, at: 64)

        var header = [UInt8](repeating: 0, count: 1024)
        header.replaceSubrange(0..<8, with: Array("cxsparse".utf8))
        put(UInt64.max, into: &header, at: 8)
        put(UInt64(tableOffset), into: &header, at: 16)
        put(UInt32(0x0001_0000), into: &header, at: 24)
        put(UInt32(blocks), into: &header, at: 28)
        put(UInt32(blockBytes), into: &header, at: 32)
        header.replaceSubrange(40..<56, with: parentFooter[68..<84])
        put(UInt32(bigEndian(parentFooter[24..<28])), into: &header, at: 56)
        var name: [UInt8] = []
        for unit in parentName.utf16 { name += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        header.replaceSubrange(64..<(64 + name.count), with: name)
        put(checksum(header), into: &header, at: 36)

        try Data(footer + header + table + body + footer).write(to: output)
    }

    /// The 512 bytes at `offset`, zeros past the end.
    private static func sectorOf(_ bytes: [UInt8], at offset: Int) -> ArraySlice<UInt8> {
        guard offset + sectorBytes <= bytes.count else {
            let available = offset < bytes.count ? Array(bytes[offset...]) : []
            return ArraySlice(available + [UInt8](repeating: 0, count: sectorBytes - available.count))
        }
        return bytes[offset..<(offset + sectorBytes)]
    }

    /// The VHD checksum: the ones' complement of the byte sum (the checksum field zero).
    private static func checksum(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(UInt32(0)) { $0 &+ UInt32($1) }
    }

    private static func put<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.bigEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
