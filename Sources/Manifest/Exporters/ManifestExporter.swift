#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore
import Foundation

/// A format the manifest can be exported to. Exporters read the manifest only, never the
/// evidence, and see the items one at a time (memory does not grow with the manifest).
public protocol ManifestExporter {
    /// Text before the first item (a header row, an XML prologue).
    mutating func begin(header: [String: Any]) -> String
    /// The text for one item.
    mutating func item(_ record: ItemRecord) -> String
    /// Text after the last item.
    mutating func end(summary: [String: Any]) -> String
}

/// A manifest that cannot be exported or verified: which line and why.
public struct ManifestReadError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Streams a manifest through an exporter into `output`, written under a temporary name and
/// renamed when complete.
public enum ManifestExport {
    public static func run(manifest: String, output: String, exporter: inout some ManifestExporter) throws {
        guard let input = fopen(manifest, "re") else {
            throw ManifestReadError("cannot read '\(manifest)': \(String(cString: strerror(errno)))")
        }
        defer { fclose(input) }
        let temporary = output + ".partial-\(getpid())"
        guard let stream = fopen(temporary, "we") else {
            throw ManifestReadError("cannot write '\(output)': \(String(cString: strerror(errno)))")
        }
        var failed = true
        defer {
            fclose(stream)
            if failed { unlink(temporary) }
        }
        func emit(_ text: String) { _ = text.withCString { fputs($0, stream) } }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var number = 0
        var began = false
        var summary: [String: Any]?
        while getline(&line, &capacity, input) > 0, let line {
            number += 1
            guard let object = ManifestReader.object(Array(UnsafeRawBufferPointer(start: line, count: strlen(line)))) else {
                throw ManifestReadError("\(manifest):\(number): not a JSON object")
            }
            switch object["record"] as? String {
            case "scan" where !began:
                emit(exporter.begin(header: object))
                began = true
            case "item" where began && summary == nil:
                guard let record = ManifestReader.item(object) else {
                    throw ManifestReadError("\(manifest):\(number): not a valid item record")
                }
                emit(exporter.item(record))
            case "summary" where began && summary == nil:
                summary = object
            default:
                throw ManifestReadError("\(manifest):\(number): unexpected line (header, items, summary expected)")
            }
        }
        guard let summary else { throw ManifestReadError("\(manifest): no summary line: the manifest is incomplete") }
        emit(exporter.end(summary: summary))
        guard fflush(stream) == 0, fsync(fileno(stream)) == 0, rename(temporary, output) == 0 else {
            throw ManifestReadError("cannot write '\(output)': \(String(cString: strerror(errno)))")
        }
        failed = false
    }
}

extension ItemRecord {
    /// The path with its archive members, joined by `/` (`photos.zip/DCIM/a.jpg`).
    public var displayPath: String {
        ([path.relative.escaped] + path.layers.map(\.member.escaped)).joined(separator: "/")
    }
}
