#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// A format the manifest can be exported to. Exporters read the manifest only, never the
/// evidence, and see the items one at a time (memory does not grow with the manifest).
public protocol ManifestExporter {
    /// Text before the first item (a header row, an XML prologue).
    mutating func begin(header: ScanHeader) -> String
    /// The text for one item.
    mutating func item(_ record: ItemRecord) -> String
    /// Text after the last item.
    mutating func end(summary: SummaryRecord) -> String
}

/// Streams a manifest through an exporter into `output`, written under a temporary name and
/// renamed when complete.
public enum ManifestExport {
    /// Reads `manifest` through ``ManifestReader`` (header first, items, summary last) and
    /// writes what `exporter` makes of it to `output`; nothing is left under `output` on failure.
    public static func run(manifest: String, output: String, exporter: inout some ManifestExporter) throws {
        guard access(manifest, R_OK) == 0 else {
            throw ManifestReadError("cannot read '\(manifest)': \(String(cString: strerror(errno)))")
        }
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
        var began = false
        var summary: SummaryRecord?
        try ManifestReader.forEachLine(in: manifest) { number, bytes in
            let line: ManifestLine
            do throws(ManifestReadError) {
                line = try ManifestReader.line(bytes)
            } catch {
                switch error.kind {
                case .notJSONObject: throw ManifestReadError("\(manifest):\(number): not a JSON object")
                case .invalidRecord: throw ManifestReadError("\(manifest):\(number): \(error)")
                case .unknownRecord, .manifest: throw Self.unexpected(manifest, number)
                }
            }
            switch line {
            case .header(let header) where !began:
                emit(exporter.begin(header: header))
                began = true
            case .item(let item) where began && summary == nil:
                emit(exporter.item(item.record))
            case .summary(let record) where began && summary == nil:
                summary = record
            default:
                throw Self.unexpected(manifest, number)
            }
        }
        guard let summary else { throw ManifestReadError("\(manifest): no summary line: the manifest is incomplete") }
        emit(exporter.end(summary: summary))
        guard fflush(stream) == 0, fsync(fileno(stream)) == 0, rename(temporary, output) == 0 else {
            throw ManifestReadError("cannot write '\(output)': \(String(cString: strerror(errno)))")
        }
        failed = false
    }

    private static func unexpected(_ manifest: String, _ number: Int) -> ManifestReadError {
        ManifestReadError("\(manifest):\(number): unexpected line (header, items, summary expected)")
    }
}

extension ItemRecord {
    /// The path with its archive members, joined by `/` (`photos.zip/DCIM/a.jpg`).
    public var displayPath: String {
        ([path.relative.escaped] + path.layers.map(\.member.escaped)).joined(separator: "/")
    }
}
