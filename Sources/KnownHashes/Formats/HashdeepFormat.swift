/// hashdeep known-hashes files (format 1.0):
///
/// ```
/// %%%% HASHDEEP-1.0
/// %%%% size,md5,sha256,filename
/// ## comments
/// 48213,<md5>,<sha256>,evidence/IMG_0001.jpg
/// ```
/// The first column is `size`, the last `filename` (which may itself contain commas); between
/// them any of md5, sha1, sha256, tiger, whirlpool. Columns of algorithms the scanner does not
/// compute are checked for shape and otherwise ignored.
enum HashdeepFormat {
    static func recognises(_ line: [UInt8]) -> Bool {
        String(decoding: line, as: UTF8.self).uppercased().hasPrefix("%%%% HASHDEEP-")
    }

    static func read(_ source: LineSource, first: [UInt8]) throws(HashSetError) -> ParsedHashList {
        let version = String(decoding: first, as: UTF8.self).dropFirst("%%%% HASHDEEP-".count)
        guard version == "1.0" else {
            throw source.error("hashdeep format version \(version.isEmpty ? "(none)" : String(version)) is not 1.0")
        }
        guard let header = try source.nextLine() else { throw source.error("the column line is missing") }
        let headerText = String(decoding: header, as: UTF8.self)
        guard headerText.hasPrefix("%%%% ") else {
            throw source.error("expected the column line '%%%% size,...,filename'")
        }
        let columns = headerText.dropFirst(5).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingPrefix(" ").lowercased() }
        guard columns.count >= 3, columns.first == "size", columns.last == "filename" else {
            throw source.error("the column line must start with 'size' and end with 'filename'")
        }
        let known = ["md5", "sha1", "sha-1", "sha256", "sha-256", "tiger", "whirlpool"]
        let hashColumns = columns.dropFirst().dropLast()
        for column in hashColumns where !known.contains(column) {
            throw source.error("unknown hash column '\(column)'")
        }
        let algorithms = hashColumns.map { DigestAlgorithm(name: $0) }
        guard algorithms.contains(where: { $0 != nil }) else {
            throw source.error("no MD5, SHA-1 or SHA-256 column: nothing to match")
        }

        var list = ParsedHashList(format: "hashdeep")
        while let line = try source.nextLine() {
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            if line.starts(with: Array("%%%%".utf8)) { continue }
            let fields = line.split(
                separator: UInt8(ascii: ","), maxSplits: columns.count - 1, omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw source.error("expected \(columns.count) comma-separated fields, found \(fields.count)")
            }
            guard !fields[0].isEmpty, fields[0].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { throw source.error("the size field is not a whole number") }
            for (offset, algorithm) in algorithms.enumerated() {
                let field = fields[offset + 1]
                guard let algorithm else {
                    guard Hex.isHexText(field) else { throw source.error("column \(offset + 2) is not hex") }
                    continue
                }
                guard list.add(hex: field, algorithm) else {
                    throw source.error("the \(algorithm.rawValue) field is not \(algorithm.hexLength) hex digits")
                }
            }
            list.entries += 1
        }
        return list
    }
}

import BlindfoldCore

extension Hex {
    static func isHexText(_ field: ArraySlice<UInt8>) -> Bool { !field.isEmpty && isHex(field) }
}
