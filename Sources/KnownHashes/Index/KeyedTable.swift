/// The keyed section of a mapped index (kind 4): the entries of a keyed list, `KEY \t VALUE`
/// byte strings sorted as unsigned bytes, found by binary search in place.
///
/// Section layout (little-endian, from the section's start):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | `N`, entries |
/// | 8 | 8 | `B`, bytes of all entries |
/// | 16 | `8 (N + 1)` | offset of each entry in the entry bytes; entry `N`'s is `B` |
/// | then | `2 N` | label index of each entry, `u16` |
/// | then | `B` | the entries, back to back |
struct KeyedTable: Sendable {
    let count: Int
    /// Offsets in the file.
    let offsetsOffset: Int
    let labelOffset: Int
    let entriesOffset: Int

    /// The section's length for `count` entries of `bytes` bytes in all.
    static func sectionLength(count: Int, bytes: Int) -> Int {
        IndexLayout.sectionHeaderSize + 8 * (count + 1) + 2 * count + bytes
    }

    /// The table of the section at `start`, `length` bytes long, declared to hold `entries`;
    /// nil when its sizes or offsets do not agree (each entry's bounds are checked here, once,
    /// so lookups need not).
    init?(file: MappedFile, start: Int, length: Int, entries: Int) {
        guard length >= IndexLayout.sectionHeaderSize, Int(exactly: file.load(start, as: UInt64.self)) == entries,
            let bytes = Int(exactly: file.load(start + 8, as: UInt64.self)), bytes <= length,
            Self.sectionLength(count: entries, bytes: bytes) == length
        else { return nil }
        count = entries
        offsetsOffset = start + IndexLayout.sectionHeaderSize
        labelOffset = offsetsOffset + 8 * (entries + 1)
        entriesOffset = labelOffset + 2 * entries
        var previous: UInt64 = 0
        for index in 0...entries {
            let offset = file.load(offsetsOffset + 8 * index, as: UInt64.self)
            guard offset >= previous, offset <= UInt64(bytes), index > 0 || offset == 0 else { return nil }
            previous = offset
        }
        guard previous == UInt64(bytes) else { return nil }
    }

    /// The label of `entry` (`KEY \t VALUE`, normalised), or nil when it is not listed.
    func label(of entry: [UInt8], in file: MappedFile) -> UInt16? {
        entry.withUnsafeBytes { probe -> UInt16? in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                let order = KeyedRecords.compare(self.entry(at: middle, in: file), probe)
                if order == 0 { return file.load(labelOffset + middle * 2, as: UInt16.self) }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// The bytes of entry `index`.
    private func entry(at index: Int, in file: MappedFile) -> UnsafeRawBufferPointer {
        let from = Int(file.load(offsetsOffset + 8 * index, as: UInt64.self))
        let to = Int(file.load(offsetsOffset + 8 * (index + 1), as: UInt64.self))
        return UnsafeRawBufferPointer(rebasing: file.bytes[(entriesOffset + from)..<(entriesOffset + to)])
    }

    /// The label index of every entry, for `hashset info`'s category counts.
    func labels(in file: MappedFile) -> [UInt16] {
        (0..<count).map { file.load(labelOffset + $0 * 2, as: UInt16.self) }
    }
}
