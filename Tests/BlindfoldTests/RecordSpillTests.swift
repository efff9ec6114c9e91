import BlindfoldCore
import Foundation
import Manifest
@testable import Scanner
import Testing

/// A container's member records flow to a spill file once more than the hold limit are held,
/// so memory is bounded whatever the member count, and come back in manifest order (#13).
@Suite("Member records spilled, not held")
struct RecordSpillTests {
    static func member(_ index: Int, of container: ItemRecord) -> ItemRecord {
        var path = container.path
        path.layers.append(VirtualPath.Layer(format: "tar", member: PathBytes("dir/m\(index).bin"), location: nil))
        var record = ItemRecord(path: path, kind: .file)
        record.size = Int64(index % 7)
        if index % 5 == 0 {
            record.status = .corrupt
            record.reason = "member data could not be read (after \(index) bytes)"
        }
        return record
    }

    /// Lists 25,000 members under two nested containers the way the scanner does: the outer
    /// record reserved first and filled last, an inner container reserved half way.
    static func list(into list: RecordList, held: inout Int) -> [ItemRecord] {
        var outer = ItemRecord(path: VirtualPath(rootIndex: 0, relative: PathBytes("big.tar")), kind: .file)
        var expected = [outer]
        let outerPlace = list.reserve(outer)
        var inner = member(-1, of: outer)
        var innerPlace: RecordList.Place?
        var innerIndex = 0
        for index in 0..<25_000 {
            if index == 12_000 {
                innerPlace = list.reserve(inner)
                innerIndex = expected.count
                expected.append(inner)
            }
            let record = member(index, of: index >= 12_000 && index < 13_000 ? inner : outer)
            list.append(record)
            expected.append(record)
            if index == 12_999, let innerPlace {
                inner.reason = "filled after its members"
                list.fill(innerPlace, with: inner)
                expected[innerIndex] = inner
            }
            held = max(held, list.inMemory)
        }
        outer.reason = "filled last"
        list.fill(outerPlace, with: outer)
        expected[0] = outer
        return expected
    }

    @Test("at most the hold limit of finished records is held; every record comes back in order, line for line")
    func spillKeepsOrder() throws {
        let work = try TemporaryDirectory("record-spill")
        defer { work.remove() }
        let spill = RecordSpill(directory: work.path, multipleRoots: false, holdLimit: 1_000)
        let list = RecordList(spill: spill)
        var held = 0
        let expected = Self.list(into: list, held: &held)
        // Held at once: the limit, plus the places still waiting for their container's end.
        #expect(held <= 1_000 + 3, "\(held) records held at once")
        let finished = try #require(list.finished(spill: spill), "records were spilled")
        let item = ProcessedItem(records: list.records, bytesRead: 0, memberBytes: 0, spilled: finished)
        var lines: [String] = []
        item.forEachRecord(multipleRoots: false) { _, line in lines.append(line.serialized) }
        #expect(lines.count == expected.count)
        #expect(lines == expected.map { $0.manifestJSON(multipleRoots: false).serialized })
        // The spill file has no name: nothing is left in the output folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    }

    @Test("without a spill every record is held, as before")
    func heldWithoutSpill() {
        let list = RecordList()
        var held = 0
        let expected = Self.list(into: list, held: &held)
        #expect(held == expected.count)
        #expect(list.finished(spill: RecordSpill(directory: "/nowhere", multipleRoots: false)) == nil)
        #expect(list.records.map { $0.manifestJSON(multipleRoots: false).serialized }
            == expected.map { $0.manifestJSON(multipleRoots: false).serialized })
    }
}
