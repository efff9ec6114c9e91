import Foundation
import Scanner
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Progress on stderr while a scan runs: items done and found, bytes, rate, elapsed time.
/// Never a name, never content.
///
/// - `terminal`: one self-rewriting line, four times a second (only used on a terminal);
/// - `json`: a `{"record":"progress",...}` line twice a second and a last one at the end, for a
///   GUI or a wrapper.
final class ProgressReporter: Sendable {
    enum Style: Sendable {
        case terminal
        case json
    }

    private let progress: ScanProgress
    private let style: Style
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(progress: ScanProgress, style: Style) {
        self.progress = progress
        self.style = style
    }

    /// A started reporter for `mode`, or nil when nothing is to be drawn (`off`, or `auto` with
    /// stderr not a terminal).
    static func started(mode: ProgressMode, progress: ScanProgress) -> ProgressReporter? {
        let reporter: ProgressReporter?
        switch mode {
        case .auto: reporter = isatty(STDERR_FILENO) == 1 ? ProgressReporter(progress: progress, style: .terminal) : nil
        case .json: reporter = ProgressReporter(progress: progress, style: .json)
        case .off: reporter = nil
        }
        reporter?.start()
        return reporter
    }

    func start() {
        running.store(true, ordering: .releasing)
        let started = Date()
        let interval: useconds_t = style == .terminal ? 250_000 : 500_000
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                draw(elapsed: Date().timeIntervalSince(started), final: false)
                usleep(interval)
            }
            draw(elapsed: Date().timeIntervalSince(started), final: true)
            finished.signal()
        }
        thread.name = "blindfold-progress"
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    private func draw(elapsed: TimeInterval, final: Bool) {
        let bytes = progress.bytesDone
        let rate = elapsed > 0 ? Int64(Double(bytes) / elapsed) : 0
        switch style {
        case .terminal:
            if final {
                StandardError.write("\r\u{1B}[K")
                return
            }
            let seconds = Int(elapsed)
            let clock = String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            var estimate = ""
            if let total = progress.totalBytes, rate > 0, total > bytes {
                let left = Int(Double(total - bytes) / Double(rate))
                estimate = String(format: ", about %02d:%02d:%02d left", left / 3600, left / 60 % 60, left % 60)
            }
            StandardError.write(
                "\r\u{1B}[Kscanning: \(progress.itemsDone) items recorded, \(progress.itemsFound) found by the walk, "
                    + "\(ByteCount.format(bytes)) read, \(ByteCount.format(rate))/s, \(clock)\(estimate)")
        case .json:
            let line = "{\"record\":\"progress\",\"elapsed_s\":\(String(format: "%.3f", elapsed)),"
                + "\"items_done\":\(progress.itemsDone),\"walk_found\":\(progress.itemsFound),"
                + "\"bytes\":\(bytes),\"bytes_per_s\":\(rate),"
                + (progress.totalBytes.map { "\"total_bytes\":\($0)," } ?? "") + "\"final\":\(final)}\n"
            StandardError.write(line)
        }
    }
}
