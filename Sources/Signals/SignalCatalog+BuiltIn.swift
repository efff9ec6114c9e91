import BlindfoldCore

extension SignalCatalog {
    /// The signals compiled into Blindfold, with their default settings: one line per signal.
    /// A run configures them with ``SignalCatalog/replacing(_:)``.
    public static let builtIn: SignalCatalog = {
        let signals: [any Signal] = [
            PDQSignal(),
            VPDQSignal(),
        ]
        do {
            return try SignalCatalog(signals)
        } catch {
            // The list above is fixed at compile time; a test builds it, so this cannot ship.
            preconditionFailure("the built-in signal list is inconsistent: \(error)")
        }
    }()
}
