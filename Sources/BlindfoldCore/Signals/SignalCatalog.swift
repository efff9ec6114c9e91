/// The signals of a run, in a fixed order (which is their order in the header and the exports).
///
/// Built from a static list (`SignalCatalog.builtIn` in the `Signals` target); two signals with
/// one id or one output key are an error.
public struct SignalCatalog: Sendable {
    /// The signals in order.
    public let signals: [any Signal]

    /// A catalog of `signals`.
    public init(_ signals: [any Signal]) throws(SignalCatalogError) {
        var ids: Set<String> = []
        var keys: Set<String> = []
        for signal in signals {
            guard ids.insert(signal.id).inserted else { throw .duplicateID(signal.id) }
            for output in signal.outputs {
                guard keys.insert(output.key).inserted else { throw .duplicateOutputKey(output.key) }
            }
        }
        self.signals = signals
    }

    /// No signals.
    public static let empty = SignalCatalog(checked: [])

    private init(checked signals: [any Signal]) { self.signals = signals }

    /// The catalog with `signal` in place of the one with its id (configured differently),
    /// or added at the end.
    public func replacing(_ signal: any Signal) throws(SignalCatalogError) -> SignalCatalog {
        var list = signals
        if let index = list.firstIndex(where: { $0.id == signal.id }) { list[index] = signal } else { list.append(signal) }
        return try SignalCatalog(list)
    }

    /// The signal with this id.
    public func signal(_ id: String) -> (any Signal)? { signals.first { $0.id == id } }

    /// The signal that writes `key`.
    public func signal(producing key: String) -> (any Signal)? {
        signals.first { $0.outputs.contains { $0.key == key } }
    }

    /// Every signal's notes about an item's values.
    public func notes(for hashes: [HashOutput]) -> [String] {
        signals.flatMap { $0.notes(for: hashes) }
    }

    /// Every signal's settings for the header's `options`.
    public var headerOptions: [(name: String, value: OptionValue)] { signals.flatMap(\.headerOptions) }

    /// Every signal's CSV columns.
    public var csvColumns: [SignalColumn] { signals.flatMap(\.csvColumns) }

    /// Every signal's VICS `AlternativeHashes`.
    public var vicsAlternativeHashes: [(key: String, hashName: String)] { signals.flatMap(\.vicsAlternativeHashes) }
}

/// A signal list that cannot form a catalog.
public enum SignalCatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Two signals share an id.
    case duplicateID(String)
    /// Two signals write the same output key.
    case duplicateOutputKey(String)

    public var description: String {
        switch self {
        case .duplicateID(let id): "two signals are registered with the id '\(id)'"
        case .duplicateOutputKey(let key): "two signals write the output key '\(key)'"
        }
    }
}
