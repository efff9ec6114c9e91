import BlindfoldCore

/// Writes a parsed set as a `.bfhs` index: sorted, de-duplicated digests per algorithm with a
/// prefix bucket table, PDQ entries, and the metadata; atomically (``IndexFileOutput``).
enum IndexWriter {
    /// Sorts `list` in place and writes it to `path`; returns the distinct digests per algorithm
    /// and the PDQ entries written.
    static func write(
        _ list: inout ParsedHashList, metadata: IndexMetadata, to path: String
    ) throws(HashSetError) -> [String: Int] {
        for index in list.tables.indices {
            let empty = Hex.decode(list.tables[index].algorithm.emptyInputDigest) ?? []
            list.tables[index].sortUnique(dropping: empty)
        }
        list.pdq = PDQRecords.sortedUnique(list.pdq)
        list.keyed = KeyedRecords.sortedUnique(list.keyed)
        let keyedBytes = list.keyed.reduce(0) { $0 + $1.entry.count }
        let tables = list.tables.filter { $0.count > 0 }
        let metadataBytes = metadata.encoded()

        // The directory: every section's place is known before anything is written.
        var sections: [(kind: IndexLayout.Kind, parameter: UInt32, length: Int, count: Int)] = [
            (.metadata, 0, metadataBytes.count, 0)
        ]
        for table in tables {
            let bits = IndexLayout.bucketBits(for: table.count)
            let length = IndexLayout.digestSectionLength(
                count: table.count, width: table.width, bucketBits: bits, labelled: !table.labels.isEmpty)
            sections.append((.digests, table.algorithm.indexNumber, length, table.count))
        }
        if !list.pdq.isEmpty { sections.append((.pdq, 0, IndexLayout.pdqSectionLength(count: list.pdq.count), list.pdq.count)) }
        if !list.keyed.isEmpty {
            sections.append((.keyed, 0, KeyedTable.sectionLength(count: list.keyed.count, bytes: keyedBytes), list.keyed.count))
        }
        let frames = list.videos.reduce(0) { $0 + $1.features.count }
        if !list.videos.isEmpty { sections.append((.vpdq, 0, IndexLayout.vpdqSectionLength(count: frames), frames)) }
        var offsets: [Int] = []
        var next = IndexLayout.aligned(IndexLayout.headerSize + sections.count * IndexLayout.directoryEntrySize)
        for section in sections {
            offsets.append(next)
            next = IndexLayout.aligned(next + section.length)
        }

        let output = try IndexFileOutput(target: path)
        try output.skipHeader()
        for (section, offset) in zip(sections, offsets) {
            try output.write(section.kind.rawValue)
            try output.write(section.parameter)
            try output.write(UInt64(offset))
            try output.write(UInt64(section.length))
            try output.write(UInt64(section.count))
        }
        try output.pad(to: IndexLayout.sectionAlignment)
        try output.write(metadataBytes)
        for table in tables {
            try output.pad(to: IndexLayout.sectionAlignment)
            try writeDigests(table, to: output)
        }
        if !list.pdq.isEmpty {
            try output.pad(to: IndexLayout.sectionAlignment)
            try writePDQ(list.pdq, to: output)
        }
        if !list.keyed.isEmpty {
            try output.pad(to: IndexLayout.sectionAlignment)
            try writeKeyed(list.keyed, bytes: keyedBytes, to: output)
        }
        if !list.videos.isEmpty {
            try output.pad(to: IndexLayout.sectionAlignment)
            try writeVPDQ(list.videos, frames: frames, to: output)
        }
        try output.pad(to: IndexLayout.sectionAlignment)

        var header = IndexLayout.magic
        func append<Integer: FixedWidthInteger>(_ value: Integer) {
            withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) }
        }
        append(IndexLayout.version)
        append(UInt32(IndexLayout.headerSize))
        append(UInt64(output.position))
        append(UInt32(sections.count))
        append(UInt32(0))
        header.append(contentsOf: output.bodyDigest())
        try output.commit(header: header)

        var counts: [String: Int] = [:]
        for table in tables { counts[table.algorithm.rawValue] = table.count }
        if !list.pdq.isEmpty { counts["pdq"] = list.pdq.count }
        for (key, count) in KeyedRecords.counts(list.keyed) { counts[key] = count }
        if !list.videos.isEmpty {
            counts["vpdq_videos"] = list.videos.count
            counts["vpdq_frames"] = frames
        }
        return counts
    }

    private static func writeKeyed(_ records: [KeyedRecord], bytes: Int, to output: IndexFileOutput) throws(HashSetError) {
        try output.write(UInt64(records.count))
        try output.write(UInt64(bytes))
        var offsets: [UInt64] = [0]
        offsets.reserveCapacity(records.count + 1)
        for record in records { offsets.append((offsets.last ?? 0) + UInt64(record.entry.count)) }
        try writeLittleEndian(offsets, to: output)
        try writeLittleEndian(records.map(\.label), to: output)
        for record in records { try output.write(record.entry) }
    }

    /// Every listed video's frames as they are in the list (duplicates and low-quality frames
    /// included: the comparison drops them, as it does for the text list).
    private static func writeVPDQ(_ videos: [VPDQListFormat.Video], frames: Int, to output: IndexFileOutput) throws(HashSetError) {
        let start = output.position
        try output.write(UInt64(frames))
        try output.write(UInt32(videos.count))
        try output.write(UInt32(0))
        var words: [UInt64] = []
        words.reserveCapacity(frames * 4)
        var qualities: [UInt8] = []
        var owners: [UInt32] = []
        for (number, video) in videos.enumerated() {
            for feature in video.features {
                let hash = feature.hash.words
                words.append(contentsOf: [hash.0, hash.1, hash.2, hash.3])
                qualities.append(UInt8(clamping: feature.quality))
                owners.append(UInt32(number))
            }
        }
        try writeLittleEndian(words, to: output)
        try output.write(qualities)
        try output.pad(to: 4)
        try writeLittleEndian(owners, to: output)
        assert(output.position - start == IndexLayout.vpdqSectionLength(count: frames))
    }

    private static func writeDigests(_ table: DigestRecords, to output: IndexFileOutput) throws(HashSetError) {
        let bits = IndexLayout.bucketBits(for: table.count)
        let start = output.position
        try output.write(UInt32(bits))
        try output.write(table.labels.isEmpty ? 0 : IndexLayout.labelledFlag)
        try output.write(UInt64(table.count))
        // Bucket k starts at the first digest whose top `bits` bits are at least k.
        var buckets = [UInt32](repeating: 0, count: (1 << bits) + 1)
        table.digests.withUnsafeBufferPointer { bytes in
            for index in 0..<table.count {
                buckets[IndexLayout.bucket(of: bytes.baseAddress.map { $0 + index * table.width }, bits: bits) + 1] += 1
            }
        }
        for bucket in 1..<buckets.count { buckets[bucket] += buckets[bucket - 1] }
        try writeLittleEndian(buckets, to: output)
        try output.pad(to: 8)
        try output.write(table.digests)
        if !table.labels.isEmpty {
            try output.pad(to: 2)
            try writeLittleEndian(table.labels, to: output)
        }
        assert(output.position - start == IndexLayout.digestSectionLength(
            count: table.count, width: table.width, bucketBits: bits, labelled: !table.labels.isEmpty))
    }

    private static func writePDQ(_ records: [PDQRecord], to output: IndexFileOutput) throws(HashSetError) {
        try output.write(UInt64(records.count))
        try output.write(UInt32(0))
        try output.write(UInt32(0))
        var words: [UInt64] = []
        words.reserveCapacity(records.count * 4)
        for record in records {
            words.append(contentsOf: [record.hash.words.0, record.hash.words.1, record.hash.words.2, record.hash.words.3])
        }
        try writeLittleEndian(words, to: output)
        try output.write(records.map(\.quality))
        try output.pad(to: 2)
        try writeLittleEndian(records.map(\.label), to: output)
    }

    private static func writeLittleEndian<Integer: FixedWidthInteger>(
        _ values: [Integer], to output: IndexFileOutput
    ) throws(HashSetError) {
        #if _endian(little)
        let ordered = values
        #else
        let ordered = values.map(\.littleEndian)
        #endif
        var failure: HashSetError?
        ordered.withUnsafeBytes { raw in
            do throws(HashSetError) { try output.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

/// Sorting and de-duplicating PDQ entries.
enum PDQRecords {
    /// Sorted by hash; a repeated hash keeps the highest quality and the lowest non-zero label.
    static func sortedUnique(_ records: [PDQRecord]) -> [PDQRecord] {
        var result: [PDQRecord] = []
        for record in records.sorted(by: { $0.hash < $1.hash }) {
            guard let last = result.last, last.hash == record.hash else {
                result.append(record)
                continue
            }
            var merged = last
            if record.quality != PDQRecord.unknownQuality
                && (merged.quality == PDQRecord.unknownQuality || record.quality > merged.quality)
            {
                merged.quality = record.quality
            }
            if record.label != 0 && (merged.label == 0 || record.label < merged.label) { merged.label = record.label }
            result[result.count - 1] = merged
        }
        return result
    }
}
