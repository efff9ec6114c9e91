/// Legacy NSRL RDS 2.x `NSRLFile.txt` (and the ancient 1.5 layout): comma-separated with one
/// header line naming the columns, strings in double quotes (file names may hold commas).
///
/// ```
/// "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"
/// "00A1…","0F1E…","1A2B3C4D","setup.exe",48213,4711,"189",""
/// ```
/// The SHA-1 and MD5 columns are found by name; `SpecialCode` (`M` malicious, `S` special)
/// becomes the entry's category when it is not empty. Every row is one entry.
enum NSRLTextFormat {
    /// True when `line` is the header of `NSRLFile.txt`.
    static func recognises(_ line: [UInt8]) -> Bool {
        line.starts(with: Array("\"SHA-1\",".utf8))
    }

    static func read(_ source: LineSource, first: [UInt8]) throws(HashSetError) -> ParsedHashList {
        guard let header = first.withUnsafeBufferPointer({ CSVFields.split($0) }) else {
            throw source.error("the header line is not valid CSV")
        }
        let names = header.map { String(decoding: $0, as: UTF8.self).uppercased() }
        guard let sha1Column = names.firstIndex(of: "SHA-1") else { throw source.error("no \"SHA-1\" column") }
        let md5Column = names.firstIndex(of: "MD5")
        let specialColumn = names.firstIndex(of: "SPECIALCODE")
        var list = ParsedHashList(format: "nsrl-rds2")
        var labels: [[UInt8]: UInt16] = [[]: 0]
        while try source.withNextLine({ line throws(HashSetError) in
            if line.isEmpty { return }
            guard let fields = CSVFields.split(line) else { throw source.error("a quoted field is not closed") }
            guard fields.count == names.count else {
                throw source.error("expected \(names.count) comma-separated fields, found \(fields.count)")
            }
            var label: UInt16 = 0
            if let specialColumn {
                let code = Array(fields[specialColumn])
                if let known = labels[code] {
                    label = known
                } else {
                    label = list.label(category: String(decoding: code, as: UTF8.self))
                    labels[code] = label
                }
            }
            guard list.add(hex: fields[sha1Column], .sha1, label: label) else {
                throw source.error("the SHA-1 field is not 40 hex digits")
            }
            if let md5Column, !fields[md5Column].isEmpty, !list.add(hex: fields[md5Column], .md5, label: label) {
                throw source.error("the MD5 field is not 32 hex digits")
            }
            list.entries += 1
        }) != nil {}
        return list
    }
}
