import Logging
import Scanner

/// Runs a configured scan with what every command needs around it: SIGINT/SIGTERM turned into
/// an interrupt, the progress reporter the user chose, and scan errors as one-line errors.
enum ScanRun {
    static func run(
        _ configuration: ScanConfiguration, logger: Logger, progress mode: ProgressMode, resume: ResumePoint? = nil,
        interrupt: InterruptFlag = InterruptFlag()
    ) throws -> ScanOutcome {
        let signals = InterruptSignals(flag: interrupt)
        defer { signals.cancel() }
        let counters = ScanProgress()
        let reporter = ProgressReporter.started(mode: mode, progress: counters)
        defer { reporter?.stop() }
        do {
            return try Scan(configuration: configuration, logger: logger)
                .run(interrupt: interrupt, progress: counters, resume: resume)
        } catch {
            throw CommandLineError("\(error)")
        }
    }
}
