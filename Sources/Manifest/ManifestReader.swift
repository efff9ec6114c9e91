#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BlindfoldCore

/// One manifest line read back into its typed value.
public enum ManifestLine: Sendable, Hashable {
    /// The first line.
    case header(ScanHeader)
    /// An item.
    case item(ManifestItem)
    /// The last line.
    case summary(SummaryRecord)
}

/// Reads manifest lines back into typed values that keep field order: the exporters, `report`,
/// `verify`, `export` and `--resume` read the manifest through it, never the evidence.
public enum ManifestReader {
    /// The typed value of one line (its line break, if any, ignored).
    public static func line(_ bytes: some Collection<UInt8>) throws(ManifestReadError) -> ManifestLine {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw ManifestReadError(.notJSONObject, "not a JSON object (\(error))")
        }
        guard case .object(let members) = value else { throw ManifestReadError(.notJSONObject, "not a JSON object") }
        switch members.first(where: { $0.key == "record" })?.value {
        case .string("scan")?: return .header(try ScanHeader(manifestJSON: value))
        case .string("item")?: return .item(try ManifestItem(manifestJSON: value))
        case .string("summary")?: return .summary(try SummaryRecord(manifestJSON: value))
        default: throw ManifestReadError(.unknownRecord, "not a header, item or summary line")
        }
    }

    /// Calls `body` with each line of the file at `path` (line break included, when there is
    /// one) and its number from 1, streaming: memory does not grow with the manifest.
    public static func forEachLine(
        in path: String, _ body: (_ number: Int, _ line: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let stream = fopen(path, "re") else {
            throw ManifestReadError("cannot read '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { fclose(stream) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        var number = 0
        while true {
            let count = getline(&line, &capacity, stream)
            guard count > 0, let line else { break }
            number += 1
            try body(number, UnsafeRawBufferPointer(start: line, count: count))
        }
        guard ferror(stream) == 0 else { throw ManifestReadError("cannot read '\(path)': read error") }
    }
}
