import BlindfoldCore
import Evidence
import Foundation

/// The parts of ``ContainerWire`` that only disk images use: a member's deleted flag, why its
/// data is withheld, where it sits (``LayerLocation``) and, for a carved member, where its
/// bytes lie (``CarvedLocation``); and the image's ``DiskLayout``.
///
/// Locations and layouts travel as JSON of their `Codable` form, so a field added to either
/// reaches the scanner without a change here. Both hold numbers and format names only.
enum DiskImageWire {
    static func encode(_ layout: DiskLayout) -> [UInt8] { json(layout) }

    static func decodeLayout(_ bytes: [UInt8]) throws(WireReader.Malformed) -> DiskLayout {
        try decode(DiskLayout.self, bytes)
    }

    static func json(_ value: some Encodable) -> [UInt8] {
        // Encoding numbers, strings and optionals cannot fail; an empty object would be refused
        // by the reader, never misread.
        (try? JSONEncoder().encode(value)).map { Array($0) } ?? []
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ bytes: [UInt8]) throws(WireReader.Malformed) -> Value {
        guard let value = try? JSONDecoder().decode(type, from: Data(bytes)) else { throw WireReader.Malformed() }
        return value
    }
}

extension WireWriter {
    /// Appends the entry's disk-image fields: deleted, withheld (status, reason), location,
    /// carved location.
    mutating func diskFields(of entry: ContainerEntry) {
        integer(entry.isDeleted ? 1 : 0)
        integer(entry.withheld == nil ? 0 : 1)
        if let withheld = entry.withheld {
            string(withheld.status.rawValue)
            string(withheld.reason)
        }
        integer(entry.location == nil ? 0 : 1)
        if let location = entry.location { data(DiskImageWire.json(location)) }
        integer(entry.carved == nil ? 0 : 1)
        if let carved = entry.carved { data(DiskImageWire.json(carved)) }
    }
}

extension WireReader {
    /// Reads the fields ``WireWriter/diskFields(of:)`` wrote into `entry`.
    mutating func readDiskFields(into entry: inout ContainerEntry) throws(Malformed) {
        entry.isDeleted = try integer() == 1
        if try integer() == 1 {
            entry.withheld = ItemReadError(status: try status(), reason: try string(limit: 4096))
        }
        if try integer() == 1 {
            entry.location = try DiskImageWire.decode(LayerLocation.self, try data(limit: 1 << 16))
        }
        if try integer() == 1 {
            entry.carved = try DiskImageWire.decode(CarvedLocation.self, try data(limit: 1 << 16))
        }
    }
}
