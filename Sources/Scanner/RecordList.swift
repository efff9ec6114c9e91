import BlindfoldCore
import Foundation
import Manifest

/// The records of one walk entry, in manifest order: a container's own record, then each
/// member's, each followed by the records of its own members.
///
/// A container's record is complete only after its members were read, so its place is
/// reserved first and filled last. Memory stays bounded whatever a container's member count:
/// once more than ``RecordSpill/holdLimit`` finished records are held, they are written to
/// the scan's spill file as manifest lines (``RecordSpill``) and only their byte range is
/// kept; reserved places that are not filled yet stay in memory (one per container being
/// listed). The sink reads the ranges back when it writes the entry, so the manifest keeps
/// its order.
final class RecordList {
    /// A reserved place: the record as it was when reserved, then as filled.
    final class Place {
        fileprivate var record: ItemRecord
        fileprivate var filled = false
        fileprivate init(_ record: ItemRecord) { self.record = record }
    }

    /// One piece of the entry's records, in order.
    enum Piece {
        case held(ItemRecord)
        case reserved(Place)
        /// Manifest lines in the spill file: `count` records in `range`.
        case spilled(range: Range<UInt64>, count: Int)
    }

    private(set) var pieces: [Piece] = []
    private let spill: RecordSpill?
    /// Finished records held in ``pieces`` (not spilled, not waiting to be filled).
    private var held = 0
    /// Reserved places not filled yet.
    private var open = 0
    /// Records in memory now: finished ones not spilled yet, and places waiting to be filled.
    var inMemory: Int { held + open }
    /// True once a spill could not be written: records are then held (no retry per record).
    private var spillFailed = false

    /// A list that holds every record (no spill), or spills to `spill` past its limit.
    init(spill: RecordSpill? = nil) {
        self.spill = spill
    }

    /// Every record, when none was spilled (tests, and the common case).
    var records: [ItemRecord] {
        pieces.compactMap {
            switch $0 {
            case .held(let record): record
            case .reserved(let place): place.record
            case .spilled: nil
            }
        }
    }

    /// Keeps a place for `record` (as it is now) and returns it, to be ``fill(_:with:)``ed later.
    func reserve(_ record: ItemRecord) -> Place {
        let place = Place(record)
        pieces.append(.reserved(place))
        open += 1
        return place
    }

    /// Puts the finished record in its reserved place.
    func fill(_ place: Place, with record: ItemRecord) {
        place.record = record
        place.filled = true
        open -= 1
        held += 1
        spillIfFull()
    }

    /// Appends a finished record.
    func append(_ record: ItemRecord) {
        pieces.append(.held(record))
        held += 1
        spillIfFull()
    }

    /// The pieces as the sink writes them, when some records were spilled (nil otherwise:
    /// ``records`` is then every record). Call once every place is filled.
    func finished(spill: RecordSpill) -> SpilledRecords? {
        guard pieces.contains(where: { if case .spilled = $0 { true } else { false } }) else { return nil }
        return SpilledRecords(pieces: pieces.map {
            switch $0 {
            case .held(let record): .record(record)
            case .reserved(let place): .record(place.record)
            case .spilled(let range, _): .spilled(range)
            }
        }, spill: spill)
    }

    /// Writes every finished record to the spill file once more than its limit are held;
    /// consecutive ones become one range. A spill that fails leaves them held.
    private func spillIfFull() {
        guard let spill, !spillFailed, held > spill.holdLimit else { return }
        var kept: [Piece] = []
        var run: [ItemRecord] = []
        func flush() -> Bool {
            guard !run.isEmpty else { return true }
            guard let range = spill.write(run) else { return false }
            if case .spilled(let last, let count)? = kept.last, last.upperBound == range.lowerBound {
                kept[kept.count - 1] = .spilled(range: last.lowerBound..<range.upperBound, count: count + run.count)
            } else {
                kept.append(.spilled(range: range, count: run.count))
            }
            run = []
            return true
        }
        for piece in pieces {
            switch piece {
            case .held(let record): run.append(record)
            case .reserved(let place) where place.filled: run.append(place.record)
            default:
                guard flush() else { spillFailed = true; return }
                kept.append(piece)
            }
        }
        guard flush() else { spillFailed = true; return }
        pieces = kept
        held = 0
    }
}
