import Crypto
import Foundation
import Glibc
import Isolation

/// How external plugin processes are started: which executable, in which environment, under
/// which limits, and how long they have for their hello.
public struct PluginLaunch: Sendable, Hashable {
    /// The executable's absolute path, as given (not resolved: the header records it).
    public var path: String
    /// The address-space cap of each process (the decoder workers' `--worker-memory`).
    public var memoryCap: Int
    /// Seconds a fresh process has to answer the hello (the protocol's 10 s).
    public var handshakeTimeout: Double = 10

    /// A launch of `path` under `memoryCap` bytes.
    public init(path: String, memoryCap: Int) {
        self.path = path
        self.memoryCap = memoryCap
    }

    /// The whole environment a plugin gets: `PATH` (the scanner's, or the Debian default when it
    /// has none), `LANG=C.UTF-8` and the protocol marker; nothing else of the scanner's leaks.
    static var environment: [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return ["PATH=" + path, "LANG=C.UTF-8", "BLINDFOLD_PLUGIN_PROTOCOL=1"]
    }

    /// The SHA-256 of the executable's bytes, as lower-case hex.
    public func executableDigest() throws(HandshakeProblem) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .start("its executable cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let data: Data?
            do { data = try handle.read(upToCount: 1 << 20) } catch { throw .start("its executable cannot be read") }
            guard let data, !data.isEmpty else { break }  // nil or empty: the end of the file
            hasher.update(data: data)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Starts a process in a fresh private folder under `workParent` and reads its hello; its
    /// waits end early once `shouldStop` answers true.
    func start(workParent: String, shouldStop: @escaping @Sendable () -> Bool = { false })
        throws(HandshakeProblem) -> (instance: PluginInstance, declaration: PluginDeclaration)
    {
        try? FileManager.default.createDirectory(atPath: workParent, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        var template = Array((workParent + "/plugin-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> UnsafeMutablePointer<CChar>? in
            guard let base = buffer.baseAddress else { return nil }
            return mkdtemp(base)
        }
        guard let made else {
            throw .start("no private working folder could be made under '\(workParent)'")
        }
        let directory = String(cString: made)
        let process: PluginProcess
        do throws(PluginProcess.SpawnError) {
            process = try PluginProcess(executable: path, environment: Self.environment, workingDirectory: directory,
                                        memoryCap: memoryCap, shouldStop: shouldStop)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw .start(error.description)
        }
        let instance = PluginInstance(process: process, directory: directory)
        var budget = handshakeTimeout
        let hello = #"{"type":"hello","protocol":"blindfold-plugin","versions":[1]}"#
        let deadline = handshakeTimeout
        func refusal(_ failure: PluginProcess.Failure) -> HandshakeProblem {
            instance.end(politely: false)
            switch failure {
            case .timedOut: return .silent("said nothing within \(Int(deadline)) s")
            case .ended(let how): return .silent(how)
            case .stopped: return .silent("was stopped because the scan was interrupted")
            }
        }
        let length: Int
        do throws(PluginProcess.Failure) {
            let bytes = PluginFrame.prefix(hello.utf8.count) + Array(hello.utf8)
            try process.write(bytes, budget: &budget)
            length = PluginFrame.length(try process.read(4, budget: &budget))
        } catch {
            throw refusal(error)
        }
        guard length <= PluginFrame.maxLength else {
            instance.end(politely: false)
            throw .malformed("its hello frame announces \(length) bytes, more than 16 MiB")
        }
        let frame: [UInt8]
        do throws(PluginProcess.Failure) {
            frame = try process.read(length, budget: &budget)
        } catch {
            throw refusal(error)
        }
        do throws(HandshakeProblem) {
            return (instance, try PluginDeclaration(hello: frame))
        } catch {
            instance.end(politely: false)
            throw error
        }
    }
}
