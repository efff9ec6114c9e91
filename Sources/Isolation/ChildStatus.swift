import CProcess
import Glibc
import Synchronization

/// Collecting a child's exit status and saying how it ended: shared by the decoder workers
/// (`WorkerProcess`) and external plugins (`PluginProcess`).
enum ChildStatus {
    /// Collects the exit status of `pid` (retrying on EINTR) and marks it reaped, so its pid,
    /// which may then belong to another process, is never signalled again.
    static func collect(_ pid: pid_t, reaped: borrowing Atomic<Bool>, options: Int32 = 0) -> Int32? {
        var status: Int32 = 0
        var result = waitpid(pid, &status, options)
        while result < 0 && errno == EINTR { result = waitpid(pid, &status, options) }
        guard result == pid else { return nil }
        reaped.store(true, ordering: .releasing)
        return status
    }

    /// How a container worker ended when it faulted with its address space (nearly) full: it
    /// exits with ``CPROCESS_MEMORY_CAP_EXIT`` instead of dying of the signal
    /// (`cprocess_exit_on_memory_cap`).
    static let memoryCapEnding = "faulted with its address space full (its memory cap) and exited"

    /// "was stopped by signal 11 (SIGSEGV, …)", "exited with code 3", or ``memoryCapEnding``.
    static func describe(_ status: Int32) -> String {
        if cprocess_signaled(status) != 0 {
            let signal = cprocess_signal(status)
            return "was stopped by signal \(signal) (\(WorkerProcess.signalName(signal)))"
        }
        let code = cprocess_exit_code(status)
        return code == CPROCESS_MEMORY_CAP_EXIT ? memoryCapEnding : "exited with code \(code)"
    }
}
