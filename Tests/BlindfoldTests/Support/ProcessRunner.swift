import Foundation

/// The result of running a program to completion.
struct ProcessResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
    var stderrData: Data

    /// stderr's non-empty lines.
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs programs with their output captured in files (no pipe deadlocks on large output).
enum ProcessRunner {
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        onStart: ((Process) -> Void)? = nil
    ) throws -> ProcessResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bf-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        onStart?(process)
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let outData = try Data(contentsOf: outURL)
        let errData = try Data(contentsOf: errURL)
        return ProcessResult(
            exitCode: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData, stderrData: errData)
    }

    /// Runs `blindfold` with `arguments`.
    static func blindfold(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try run(TestEnvironment.binary.path, arguments, environment: environment)
    }
}
