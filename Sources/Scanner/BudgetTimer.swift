import Foundation
import Synchronization

/// Raises the interrupt flag with cause `budget` when the time is up, unless cancelled first.
final class BudgetTimer: Sendable {
    private let cancelled = Atomic<Bool>(false)

    init(seconds: Double, interrupt: InterruptFlag) {
        let deadline = Date().addingTimeInterval(seconds)
        let thread = Thread { [self] in
            while !cancelled.load(ordering: .acquiring) {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 {
                    interrupt.raise(.budget)
                    return
                }
                usleep(useconds_t(min(left, 0.05) * 1_000_000))
            }
        }
        thread.name = "blindfold-budget"
        thread.start()
    }

    func cancel() { cancelled.store(true, ordering: .releasing) }
}
