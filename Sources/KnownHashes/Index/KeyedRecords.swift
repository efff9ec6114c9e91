#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a keyed list as the index stores it: `KEY`, a tab, then the value normalised as
/// matching compares it (hex in lower case, anything else as written). A tab sorts below every
/// character a key or value may hold, so sorting these bytes sorts by key, then by value.
struct KeyedRecord: Sendable {
    /// `KEY \t VALUE`.
    var entry: [UInt8]
    /// Index into the set's labels (0: none).
    var label: UInt16
}

/// Building and ordering keyed entries, for the index writer and for lookups.
enum KeyedRecords {
    /// The bytes an index stores and a lookup searches for: the key, a tab, the normalised value.
    static func entry(key: String, value: String) -> [UInt8] {
        var bytes = Array(key.utf8)
        bytes.append(0x09)
        bytes.append(contentsOf: KeyedHashSet.normalised(value).utf8)
        return bytes
    }

    /// Sorted by entry bytes, each entry once, keeping the label of its first labelled line in
    /// the list (or none): exactly what the in-memory ``KeyedHashSet`` keeps, so an index and
    /// its list answer alike.
    static func sortedUnique(_ records: [KeyedRecord]) -> [KeyedRecord] {
        let order = records.indices.sorted { left, right in
            let (a, b) = (records[left].entry, records[right].entry)
            if a == b { return left < right }
            return a.lexicographicallyPrecedes(b)
        }
        var result: [KeyedRecord] = []
        result.reserveCapacity(records.count)
        for index in order {
            let record = records[index]
            guard let last = result.last, last.entry == record.entry else {
                result.append(record)
                continue
            }
            if last.label == 0 && record.label != 0 { result[result.count - 1].label = record.label }
        }
        return result
    }

    /// Distinct entries per key.
    static func counts(_ records: [KeyedRecord]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for record in records {
            counts[String(decoding: record.entry.prefix { $0 != 0x09 }, as: UTF8.self), default: 0] += 1
        }
        return counts
    }

    /// -1, 0 or 1 as `left` sorts before, equal to, or after `right` (unsigned bytes, then length).
    static func compare(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let common = min(left.count, right.count)
        if common > 0, let a = left.baseAddress, let b = right.baseAddress {
            let order = memcmp(a, b, common)
            if order != 0 { return order < 0 ? -1 : 1 }
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }
}
