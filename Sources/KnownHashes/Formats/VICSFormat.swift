import BlindfoldCore
import Signals

/// Project VIC VICS JSON, 1.x (`odata.metadata`) and 2.0 (`@odata.context`), in both shapes:
/// `#Media` (the value is the Media array) and `#Cases` (Media under each case). UK CAID exports
/// are VICS JSON too (`--format caid` names them so; their category codes are not public, so
/// which categories alert is the same setting).
///
/// Each Media entry gives its MD5, SHA-1, and SHA-256 and PDQ from `AlternativeHashes`
/// (`HashName` `SHA256`, `PDQ`: our convention, FORMATS.md §1), with the entry's `Category` and
/// `Series`. Keys are compared without case. Every entry is kept, whatever its category: a
/// file Project VIC has categorised need not be looked at again. Which categories *alert* is
/// a setting applied at matching (``CategoryAlertSet``), never a filter at import.
///
/// The file is streamed through ``JSONReader``: memory holds one Media entry, never the
/// document, and errors name the JSON path.
enum VICSFormat {
    static func recognises(_ line: [UInt8]) -> Bool {
        line.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "{")
    }

    private enum Shape { case unknown, cases, media }

    /// Member names, lower-cased, as bytes (compared once per member of millions of entries).
    private enum Key {
        static let alternativehashes = Array("alternativehashes".utf8)
        static let category = Array("category".utf8)
        static let hashname = Array("hashname".utf8)
        static let hashvalue = Array("hashvalue".utf8)
        static let md5 = Array("md5".utf8)
        static let media = Array("media".utf8)
        static let series = Array("series".utf8)
        static let sha1 = Array("sha1".utf8)
        static let value = Array("value".utf8)
        /// The keys error messages may name (any other is named by position).
        static let named: Set<[UInt8]> = Set([
            alternativehashes, category, hashname, hashvalue, md5, media, series, sha1, value,
        ] + [
            "@odata.context", "odata.metadata", "@odata.id", "odata.id", "mediaid", "mediafiles", "filename", "filepath",
            "mediasize", "name", "cases", "caseid", "casenumber", "isprecategorized", "victimidentified",
            "offenderidentified", "isdistributed", "tags", "classification", "comments", "exifs", "created",
            "written", "accessed", "unallocated", "sourceid", "mimetype", "dateupdated", "ispartial",
        ].map { Array($0.utf8) })
    }

    private static let contextKeys = [Array("@odata.context".utf8), Array("odata.metadata".utf8)]

    /// Reads the whole file at `path`.
    static func read(path: String, caid: Bool = false) throws(HashSetError) -> (list: ParsedHashList, sha256: String) {
        let stream = try ByteStream(path: path)
        let reader = JSONReader(stream: stream, namedKeys: Key.named)
        try reader.skipByteOrderMark()
        var list = ParsedHashList(format: caid ? "caid" : "vics")
        var context: String?
        var shape = Shape.unknown
        guard try reader.nextIs("{") else { throw reader.error("the JSON document is not an object") }
        try reader.readObject { key throws(HashSetError) in
            if contextKeys.contains(key) {
                guard case .string(let text) = try reader.readScalar() else { throw reader.error("not a string") }
                let value = String(decoding: text, as: UTF8.self).lowercased()
                context = key == contextKeys[0] ? "2.0" : "1.x"
                shape = value.hasSuffix("#cases") ? .cases : value.hasSuffix("#media") ? .media : .unknown
            } else if key == Key.value {
                guard try reader.nextIs("[") else { throw reader.error("not an array") }
                try reader.readArray { _ throws(HashSetError) in
                    try readElement(reader, shape: shape, into: &list)
                }
            } else {
                try reader.skipValue()
            }
        }
        try reader.finish()
        guard let context else {
            throw HashSetError(file: path, reason: "JSON without '@odata.context' or 'odata.metadata': not a VICS export")
        }
        if !caid { list.format = "vics-\(context)" }
        return (list, stream.digest())
    }

    /// One element of `$.value`: a Case (with `Media`) or a Media entry.
    private static func readElement(
        _ reader: JSONReader, shape: Shape, into list: inout ParsedHashList
    ) throws(HashSetError) {
        guard try reader.nextIs("{") else { throw reader.error("not an object") }
        var media = MediaFields()
        var hadMedia = false
        try reader.readObject { key throws(HashSetError) in
            if shape != .media && key == Key.media {
                hadMedia = true
                guard try reader.nextIs("[") else { throw reader.error("not an array") }
                try reader.readArray { _ throws(HashSetError) in
                    guard try reader.nextIs("{") else { throw reader.error("not an object") }
                    var nested = MediaFields()
                    try reader.readObject { key throws(HashSetError) in try nested.read(key, reader) }
                    try nested.add(to: &list, reader)
                }
            } else {
                try media.read(key, reader)
            }
        }
        if shape == .media || (shape == .unknown && !hadMedia) {
            try media.add(to: &list, reader)
        }
    }

    /// The fields of one Media entry that matter for matching.
    private struct MediaFields {
        var md5: [UInt8]?
        var sha1: [UInt8]?
        var alternatives: [(algorithm: String, value: [UInt8])] = []
        var category: String?
        var series: String?

        mutating func read(_ key: [UInt8], _ reader: JSONReader) throws(HashSetError) {
            switch key {
            case Key.md5: md5 = try Self.hex(reader, DigestAlgorithm.md5.hexLength)
            case Key.sha1: sha1 = try Self.hex(reader, DigestAlgorithm.sha1.hexLength)
            case Key.category: category = try Self.text(reader)
            case Key.series: series = try Self.text(reader)
            case Key.alternativehashes:
                guard try reader.nextIs("[") else { return try reader.skipValue() }
                try reader.readArray { _ throws(HashSetError) in
                    guard try reader.nextIs("{") else { return try reader.skipValue() }
                    var name: String?
                    var value: [UInt8]?
                    try reader.readObject { key throws(HashSetError) in
                        switch key {
                        case Key.hashname: name = try Self.text(reader)?.lowercased().filter { $0 != "-" }
                        case Key.hashvalue: value = try Self.text(reader).map { Array($0.utf8) }
                        default: try reader.skipValue()
                        }
                    }
                    if let name, let value { alternatives.append((name, value)) }
                }
            default: try reader.skipValue()
            }
        }

        /// Adds the entry with its category; the error names the entry's path.
        func add(to list: inout ParsedHashList, _ reader: JSONReader) throws(HashSetError) {
            list.entries += 1
            let hasExact = md5 != nil || sha1 != nil
                || alternatives.contains { ["md5", "sha1", "sha256", "pdq"].contains($0.algorithm) }
            guard hasExact else { throw reader.error("no MD5, SHA-1, SHA-256 or PDQ") }
            let label = list.label(category: category, detail: series)
            if let md5 { _ = list.add(hex: md5, .md5, label: label) }
            if let sha1 { _ = list.add(hex: sha1, .sha1, label: label) }
            for (name, value) in alternatives {
                if name == "pdq", let hash = PDQHash(hex: String(decoding: value, as: UTF8.self)) {
                    list.add(pdq: hash, quality: nil, label: label)
                } else if let algorithm = DigestAlgorithm(name: name) {
                    // Alternative hashes of other shapes are other tools' business: skipped.
                    _ = list.add(hex: value, algorithm, label: label)
                }
            }
        }

        /// A hex digest field of `length` digits; nil when null or empty.
        static func hex(_ reader: JSONReader, _ length: Int) throws(HashSetError) -> [UInt8]? {
            guard case .string(let text) = try reader.readScalar() else { return nil }
            if text.isEmpty { return nil }
            guard text.count == length, HexTable.isHex(text) else { throw reader.error("not \(length) hex digits") }
            return text
        }

        /// A string or number as text (`Category` is either); nil when null or empty.
        static func text(_ reader: JSONReader) throws(HashSetError) -> String? {
            switch try reader.readScalar() {
            case .string(let text) where !text.isEmpty, .number(let text): String(decoding: text, as: UTF8.self)
            default: nil
            }
        }
    }
}
