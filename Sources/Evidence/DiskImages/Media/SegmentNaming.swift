/// How the segment files of split images are named, from the first segment's name.
///
/// - Split raw: `NAME.001`, `NAME.002`, ... or `NAME.000`, `NAME.001`, ... (`split -d`'s
///   numbering; as many digits as the first has, at least three), or `NAME.aa`, `NAME.ab`, ...
///   (`split`'s letters).
/// - EWF: `NAME.E01` ... `NAME.E99`, then `NAME.EAA` ... `NAME.EZZ`, `NAME.FAA`, ... (EnCase's
///   scheme; lower case when the first is), and `NAME.Ex01` ... `NAME.Ex99`, `NAME.ExAA` ...
///   for EWF2; `NAME.s01` for SMART.
///
/// Names are bytes: only the ASCII extension is looked at, the rest is kept as it is.
public enum SegmentNaming {
    /// The scheme a first segment's name starts.
    public enum Scheme: Sendable, Equatable {
        /// Digits, `width` of them, the first segment numbered `first` (0 or 1).
        case numbered(width: Int, first: Int)
        /// Two lower- or upper-case letters.
        case lettered(upper: Bool)
        /// EWF: `E01` (the letter's case kept) or `Ex01`.
        case ewf(prefix: [UInt8])
    }

    /// The scheme of a split raw image's first segment, or nil when the name is not one.
    public static func splitRawScheme(_ name: [UInt8]) -> Scheme? {
        guard let ext = self.extension(of: name) else { return nil }
        if ext.count >= 3, ext.allSatisfy(isDigit), ext.dropLast().allSatisfy({ $0 == UInt8(ascii: "0") }),
           let last = ext.last, last == UInt8(ascii: "0") || last == UInt8(ascii: "1") {
            return .numbered(width: ext.count, first: Int(last - UInt8(ascii: "0")))
        }
        if ext == Array("aa".utf8) { return .lettered(upper: false) }
        if ext == Array("AA".utf8) { return .lettered(upper: true) }
        return nil
    }

    /// The scheme of an EWF image's first segment, or nil when the name is not one.
    public static func ewfScheme(_ name: [UInt8]) -> Scheme? {
        guard let ext = self.extension(of: name) else { return nil }
        let letters: Set<UInt8> = Set("EeSsLl".utf8)
        if ext.count == 3, letters.contains(ext[0]), ext[1] == UInt8(ascii: "0"), ext[2] == UInt8(ascii: "1") {
            return .ewf(prefix: [ext[0]])
        }
        if ext.count == 4, letters.contains(ext[0]), ext[1] == UInt8(ascii: "x") || ext[1] == UInt8(ascii: "X"),
           ext[2] == UInt8(ascii: "0"), ext[3] == UInt8(ascii: "1") {
            return .ewf(prefix: Array(ext[0..<2]))
        }
        return nil
    }

    /// The name of segment `number` (1 is the first) in `scheme`, from the first segment's
    /// name; nil past the last name the scheme has.
    public static func name(of number: Int, scheme: Scheme, first: [UInt8]) -> [UInt8]? {
        guard number >= 1, let dot = first.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        let stem = Array(first[...dot])
        guard let ext = suffix(number, scheme: scheme) else { return nil }
        return stem + ext
    }

    private static func suffix(_ number: Int, scheme: Scheme) -> [UInt8]? {
        switch scheme {
        case .numbered(let width, let first):
            let digits = Array(String(number - 1 + first).utf8)
            guard digits.count <= width else { return nil }
            return Array(repeating: UInt8(ascii: "0"), count: width - digits.count) + digits
        case .lettered(let upper):
            let index = number - 1
            guard index < 26 * 26 else { return nil }
            let base = upper ? UInt8(ascii: "A") : UInt8(ascii: "a")
            return [base + UInt8(index / 26), base + UInt8(index % 26)]
        case .ewf(let prefix):
            if number <= 99 {
                return prefix + [UInt8(ascii: "0") + UInt8(number / 10), UInt8(ascii: "0") + UInt8(number % 10)]
            }
            let upper = prefix[0] < UInt8(ascii: "a")
            let base = upper ? UInt8(ascii: "A") : UInt8(ascii: "a")
            let index = number - 100
            if prefix.count == 2 {
                // EWF2: Ex01 ... Ex99, ExAA ... ExZZ.
                guard index < 26 * 26 else { return nil }
                return prefix + [base + UInt8(index / 26), base + UInt8(index % 26)]
            }
            // EWF1: E99 is followed by EAA; after EZZ the first letter moves on (FAA ...).
            let first = Int(prefix[0]) + index / (26 * 26)
            guard first <= Int(base) + 25 else { return nil }
            return [UInt8(first), base + UInt8(index / 26 % 26), base + UInt8(index % 26)]
        }
    }

    private static func `extension`(of name: [UInt8]) -> [UInt8]? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > name.startIndex, dot < name.endIndex - 1 else {
            return nil
        }
        return Array(name[(dot + 1)...])
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
