import Evidence

/// The archive walker over an in-memory archive, driven as the scanner's `ItemProcessor`
/// drives it: every header, then every regular, unencrypted, non-link member's data.
enum ArchiveTarget {
    /// Bytes of member data produced per input before the walk stops (the scanner's expansion
    /// budget plays this role).
    static let byteBudget = 64 << 20
    /// Members listed per input before the walk stops (the scanner's `entries_per_archive`).
    static let entryLimit = 100_000

    /// The `archive` target.
    static let target = FuzzTarget(
        name: "archive", summary: "ArchiveReader(memory:): next() and readData(into:) over every member"
    ) { bytes in
        walk(bytes)
    }

    private static func walk(_ bytes: UnsafeRawBufferPointer) {
        guard let reader = try? ArchiveReader(memory: bytes) else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var produced = 0
        var listed = 0
        _ = reader.formatName
        while listed < entryLimit {
            guard case .entry(let entry) = reader.next() else { return }
            listed += 1
            _ = reader.formatName
            guard entry.kind == .file, !entry.isHardLink, !entry.isEncrypted else { continue }
            while produced < byteBudget {
                guard let count = try? reader.readData(into: buffer), count > 0 else { break }
                produced += count
            }
            if produced >= byteBudget { return }
        }
    }
}
