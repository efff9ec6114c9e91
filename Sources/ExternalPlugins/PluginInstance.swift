import Foundation
import Isolation
import Synchronization

/// One running plugin process with its private, initially empty working folder; the folder
/// is removed when the process has ended.
final class PluginInstance: Sendable {
    let process: PluginProcess
    let directory: String
    /// The part of the process's stderr count already added to the plugin's total.
    let countedStderr = Atomic<Int>(0)

    init(process: PluginProcess, directory: String) {
        self.process = process
        self.directory = directory
    }

    /// Ends the process politely (stdin closed, as the protocol's end says) or kills it.
    func end(politely: Bool) {
        if politely { process.finish() } else { process.terminate() }
    }

    deinit {
        process.terminate()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
