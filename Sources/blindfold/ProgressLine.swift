import Foundation
import Scanner
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One self-rewriting line on stderr (a terminal only): items done and found, bytes, rate,
/// elapsed time. Never a name, never content.
final class ProgressLine: Sendable {
    private let progress: ScanProgress
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(progress: ScanProgress) { self.progress = progress }

    func start() {
        running.store(true, ordering: .releasing)
        let started = Date()
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                draw(elapsed: Date().timeIntervalSince(started))
                usleep(250_000)
            }
            StandardError.write("\r\u{1B}[K")
            finished.signal()
        }
        thread.name = "blindfold-progress"
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    private func draw(elapsed: TimeInterval) {
        let bytes = progress.bytesDone
        let rate = elapsed > 0 ? Int64(Double(bytes) / elapsed) : 0
        let seconds = Int(elapsed)
        let clock = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        let line = "\r\u{1B}[Kscanning: \(progress.itemsDone) items done of \(progress.itemsFound) found, "
            + "\(ByteCount.format(bytes)) read, \(ByteCount.format(rate))/s, \(clock)"
        StandardError.write(line)
    }
}
