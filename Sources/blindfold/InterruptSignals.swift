import Dispatch
import Scanner

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT and SIGTERM into a raised ``InterruptFlag``: the scan stops starting items,
/// records the ones in progress as interrupted, and writes a manifest with `complete: false`.
/// A second signal ends the process at once.
final class InterruptSignals {
    private let sources: [DispatchSourceSignal]

    init(flag: InterruptFlag) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if flag.isRaised { _exit(3) }
                flag.raise()
            }
            source.resume()
            return source
        }
    }

    /// Stops listening.
    func cancel() {
        for source in sources { source.cancel() }
    }
}
