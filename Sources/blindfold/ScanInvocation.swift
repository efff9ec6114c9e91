import Foundation

/// How a scan was started (`DIR/.scan.json`), so that `--resume DIR` can run it again with the
/// same roots, sets and options. Removed when the scan completes.
struct ScanInvocation: Codable {
    static let fileName = ".scan.json"

    /// The folder relative paths were given from.
    var workingDirectory: String
    /// The arguments after `scan`.
    var arguments: [String]

    func save(in directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            // Atomically: a scan killed while saving must not leave a half-written invocation.
            try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/" + Self.fileName), options: .atomic)
        } catch {
            throw CommandLineError("cannot record the invocation in '\(directory)': \(error.localizedDescription)")
        }
    }

    static func load(from directory: String) throws -> ScanInvocation {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandLineError("--resume '\(directory)': no interrupted scan there (\(fileName) is missing)")
        }
        do {
            return try JSONDecoder().decode(ScanInvocation.self, from: data)
        } catch {
            throw CommandLineError("--resume '\(directory)': \(fileName) is damaged")
        }
    }

    static func remove(from directory: String) {
        try? FileManager.default.removeItem(atPath: directory + "/" + fileName)
    }
}
