import BlindfoldCore

/// The records of one walk entry, in manifest order: a container's own record, then each
/// member's, each followed by the records of its own members.
///
/// A container's record is complete only after its members were read, so its place is
/// reserved first and filled last.
final class RecordList {
    private(set) var records: [ItemRecord] = []

    /// Keeps a place for `record` (as it is now) and returns it, to be ``fill(_:with:)``ed later.
    func reserve(_ record: ItemRecord) -> Int {
        records.append(record)
        return records.count - 1
    }

    /// Puts the finished record in its reserved place.
    func fill(_ place: Int, with record: ItemRecord) {
        records[place] = record
    }

    /// Appends a finished record.
    func append(_ record: ItemRecord) {
        records.append(record)
    }
}
