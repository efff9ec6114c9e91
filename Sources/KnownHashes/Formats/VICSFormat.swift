import BlindfoldCore
import Foundation

/// Project VIC VICS JSON, 1.x (`odata.metadata`) and 2.0 (`@odata.context`), in both shapes:
/// `#Media` (the value is the Media array) and `#Cases` (Media under each case).
///
/// Each Media entry gives its MD5, SHA-1, and SHA-256 from `AlternativeHashes`
/// (`HashName` `SHA256`), with the entry's `Category`. Keys are compared without case and
/// booleans or numbers written as strings are accepted. In a known-bad set only the alerting
/// categories count (by default `1`, child abuse material; the numbering differs between
/// profiles, so it is a setting); in a known-good set every entry counts.
///
/// The file is parsed whole with Foundation's JSON parser: fine for sets of a few million
/// entries; a streaming parser for larger ones belongs to the compact-index work (issue #4).
enum VICSFormat {
    static func recognises(_ line: [UInt8]) -> Bool {
        line.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "{")
    }

    static func read(
        _ source: LineSource, first: [UInt8], role: HashSetRole, alertCategories: Set<String>
    ) throws(HashSetError) -> ParsedHashList {
        var bytes = first
        while let line = try source.nextLine() {
            bytes.append(0x0A)
            bytes.append(contentsOf: line)
        }
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw HashSetError(file: source.path, reason: "the JSON document is not an object")
            }
            root = object
        } catch let error as HashSetError {
            throw error
        } catch {
            throw HashSetError(file: source.path, reason: "not valid JSON")
        }
        let lowered = Dictionary(root.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let context = (lowered["@odata.context"] ?? lowered["odata.metadata"]) as? String else {
            throw HashSetError(file: source.path, reason: "JSON without '@odata.context' or 'odata.metadata': not a VICS export")
        }
        let version = lowered["@odata.context"] != nil ? "2.0" : "1.x"
        guard let value = lowered["value"] as? [[String: Any]] else {
            throw HashSetError(file: source.path, reason: "$.value is not an array")
        }
        let media: [[String: Any]]
        if context.lowercased().hasSuffix("#cases") {
            media = value.flatMap { caseObject in
                (caseObject.first { $0.key.lowercased() == "media" }?.value as? [[String: Any]]) ?? []
            }
        } else {
            media = value
        }
        var list = ParsedHashList(format: "vics-\(version)")
        for (index, entry) in media.enumerated() {
            let fields = Dictionary(entry.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            let category = Self.category(fields["category"])
            list.entries += 1
            if role == .knownBad && !alertCategories.contains(category ?? "uncategorised") { continue }
            var found = false
            for (field, algorithm) in [("md5", DigestAlgorithm.md5), ("sha1", .sha1)] {
                guard let hex = fields[field] as? String, !hex.isEmpty else { continue }
                guard hex.utf8.count == algorithm.hexLength, let key = DigestKey(hex: hex) else {
                    throw HashSetError(file: source.path, reason: "$.value media \(index): \(field.uppercased()) is not \(algorithm.hexLength) hex digits")
                }
                list.add(key, algorithm, category: category)
                found = true
            }
            for alternative in fields["alternativehashes"] as? [[String: Any]] ?? [] {
                let alt = Dictionary(alternative.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
                guard let name = alt["hashname"] as? String, let algorithm = DigestAlgorithm(name: name),
                    let hex = alt["hashvalue"] as? String, hex.utf8.count == algorithm.hexLength,
                    let key = DigestKey(hex: hex)
                else { continue }
                list.add(key, algorithm, category: category)
                found = true
            }
            guard found else {
                throw HashSetError(file: source.path, reason: "$.value media \(index): no MD5, SHA-1 or SHA-256")
            }
        }
        return list
    }

    /// `Category` as a string: numbers and numeric strings as digits, null or absent as nil.
    static func category(_ value: Any?) -> String? {
        if let number = value as? NSNumber { return number.stringValue }
        if let text = value as? String, !text.isEmpty { return text }
        return nil
    }
}
