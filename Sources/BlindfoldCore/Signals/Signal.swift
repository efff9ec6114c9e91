/// A kind of hash the scanner records and matches (PDQ now; video PDQ and external plugins'
/// outputs next), described in one place: its output keys and their kinds, how two values
/// compare, the set formats that hold it, the notes it adds to an item, and its columns in the
/// exports. Core, the scanner and the exporters handle signals only through this protocol and
/// a ``SignalCatalog``; each signal lives in its own folder under `Sources/Signals`.
public protocol Signal: Sendable {
    /// The signal's name: its main output key and the `algorithm` of its matches (`pdq`).
    var id: String { get }
    /// Every key it writes under an item's `hashes`, main key first.
    var outputs: [SignalOutput] { get }
    /// How an item's value is compared with a set's entry.
    var comparison: SignalComparison { get }
    /// The hash-set formats (`HashSetInfo.format` names) that can hold it.
    var setFormats: [String] { get }
    /// Sentences for the item's `notes` about its values (a quality below the matching floor).
    func notes(for hashes: [HashOutput]) -> [String]
    /// The signal's settings, for the header's `options` (`pdq_distance`, ...).
    var headerOptions: [(name: String, value: OptionValue)] { get }
    /// Its columns in the CSV export, after the fixed ones.
    var csvColumns: [SignalColumn] { get }
    /// Its `AlternativeHashes` in the VICS export: output key and VICS `HashName`.
    var vicsAlternativeHashes: [(key: String, hashName: String)] { get }
}

/// The defaults: a signal that declares nothing more has no set formats, notes, header
/// options or export fields.
extension Signal {
    /// None.
    public var setFormats: [String] { [] }
    /// None.
    public func notes(for hashes: [HashOutput]) -> [String] { [] }
    /// None.
    public var headerOptions: [(name: String, value: OptionValue)] { [] }
    /// None.
    public var csvColumns: [SignalColumn] { [] }
    /// None.
    public var vicsAlternativeHashes: [(key: String, hashName: String)] { [] }
}

/// One key a signal writes and the kind of its value.
public struct SignalOutput: Sendable, Hashable {
    /// What kind of value a key holds.
    public enum Kind: String, Sendable, Hashable {
        /// Lower-case hex (``HashValue/hex(_:)``).
        case hex
        /// A number (``HashValue/integer(_:)``).
        case integer
        /// Several hex values (``HashValue/hexList(_:)``).
        case hexList = "hex-list"
        /// Text (``HashValue/text(_:)``).
        case text
    }

    /// The key under `hashes`.
    public var key: String
    /// Its kind.
    public var kind: Kind

    /// An output from its parts.
    public init(key: String, kind: Kind) {
        self.key = key
        self.kind = kind
    }

    /// True when `value` is of this kind.
    public func admits(_ value: HashValue) -> Bool {
        switch (kind, value) {
        case (.hex, .hex), (.integer, .integer), (.hexList, .hexList), (.text, .text): true
        default: false
        }
    }
}

/// How a signal's values are compared with a set's entries.
public enum SignalComparison: Sendable, Hashable {
    /// Equal values match (digests).
    case exact
    /// Values within a Hamming distance match; matches carry the distance.
    case distance(maxDistance: Int)
}

/// One export column of a signal: its header name and how an item's cell is written.
public struct SignalColumn: Sendable {
    /// The column's name in the header row.
    public var name: String
    /// The cell for an item (empty when the item has no value).
    public var value: @Sendable (ItemRecord) -> String

    /// A column from its parts.
    public init(name: String, value: @escaping @Sendable (ItemRecord) -> String) {
        self.name = name
        self.value = value
    }

    /// A column holding the output `key` as text: hex as is, a number in decimal.
    public static func output(_ key: String) -> SignalColumn {
        SignalColumn(name: key) { record in
            switch record.hash(key) {
            case .hex(let value)?, .text(let value)?: value
            case .integer(let value)?: String(value)
            default: ""
            }
        }
    }
}
