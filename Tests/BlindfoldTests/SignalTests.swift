import BlindfoldCore
import Foundation
import KnownHashes
import Manifest
@testable import Scanner
import Signals
import Testing

/// Signals: PDQ's home and the catalog, and a second signal added from a test alone (its own
/// plugin, signal and catalog entry) that the scanner, the header and the exports pick up
/// without a line of Scanner or Core knowing it.
@Suite("Signals and the signal catalog")
struct SignalTests {
    /// A toy signal: a hex value and a score, with a note and CSV/VICS fields of its own.
    struct ToySignal: Signal {
        var id: String { "toy" }
        var outputs: [SignalOutput] { [SignalOutput(key: "toy", kind: .hex), SignalOutput(key: "toy_score", kind: .integer)] }
        var comparison: SignalComparison { .exact }
        func notes(for hashes: [HashOutput]) -> [String] {
            guard case .integer(let score)? = hashes.first(where: { $0.key == "toy_score" })?.value, score < 3 else { return [] }
            return ["toy score \(score) is low"]
        }
        var headerOptions: [(name: String, value: OptionValue)] { [("toy_floor", .integer(3))] }
        var csvColumns: [SignalColumn] { [.output("toy"), .output("toy_score")] }
        var vicsAlternativeHashes: [(key: String, hashName: String)] { [("toy", "TOY")] }
    }

    /// The toy signal's plugin: the item's length as hex, and its length modulo 5 as the score.
    struct ToyPlugin: WholeItemPlugin {
        var descriptor: HashPluginDescriptor {
            HashPluginDescriptor(id: "toy", version: "1", summary: "a toy", inputMode: .wholeItem, outputKeys: ["toy", "toy_score"])
        }
        func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome {
            .values([HashOutput(key: "toy", value: .hex(String(bytes.count, radix: 16))),
                     HashOutput(key: "toy_score", value: .integer(bytes.count % 5))])
        }
    }

    static func configuration(signals: SignalCatalog, plugins: [any HashPlugin]) throws -> ScanConfiguration {
        var configuration = ScanConfiguration(
            roots: [PathBytes("/nonexistent")], outputDirectory: "/nonexistent", registry: try PluginRegistry(plugins),
            matcher: HashMatcher(sets: []), jobs: 1, toolVersion: "test")
        configuration.signals = signals
        return configuration
    }

    static func analysed(_ bytes: [UInt8], _ configuration: ScanConfiguration) -> ItemRecord {
        var record = ItemRecord(path: VirtualPath(rootIndex: 0, relative: PathBytes("synthetic.bin")), kind: .file)
        bytes.withUnsafeBytes {
            ItemPass.run(over: $0, analysis: ItemAnalysis(configuration: configuration), sniffer: nil, record: &record)
        }
        return record
    }

    @Test("The built-in catalog holds PDQ and vPDQ; a duplicate id or key is refused")
    func builtInCatalog() throws {
        #expect(SignalCatalog.builtIn.signals.map(\.id) == ["pdq", "vpdq"])
        #expect(SignalCatalog.builtIn.signal(producing: "video_codec")?.id == "vpdq")
        #expect(SignalCatalog.builtIn.signal(producing: "pdq_quality")?.id == "pdq")
        #expect(SignalCatalog.builtIn.csvColumns.map(\.name) == ["pdq", "pdq_quality", "pdq_distance", "vpdq_frames", "video_codec"])
        #expect(throws: SignalCatalogError.duplicateID("pdq")) { try SignalCatalog([PDQSignal(), PDQSignal()]) }
        struct Squatter: Signal {
            var id: String { "squat" }
            var outputs: [SignalOutput] { [SignalOutput(key: "pdq_quality", kind: .integer)] }
            var comparison: SignalComparison { .exact }
        }
        #expect(throws: SignalCatalogError.duplicateOutputKey("pdq_quality")) {
            try SignalCatalog.builtIn.replacing(Squatter())
        }
        let tight = try SignalCatalog.builtIn.replacing(PDQSignal(policy: PDQMatchPolicy(maxDistance: 9, qualityFloor: 70, dihedral: true)))
        #expect(tight.signals.count == 2)
        #expect(tight.signal("pdq")?.comparison == .distance(maxDistance: 9))
        #expect(tight.headerOptions.map(\.name) == ["pdq_distance", "pdq_quality", "pdq_dihedral", "vpdq_distance", "vpdq_quality",
                                                    "vpdq_query_match", "vpdq_compared_match"])
        #expect(tight.headerOptions.map(\.value).prefix(3) == [.integer(9), .integer(70), .bool(true)])
    }

    @Test("PDQ's quality-floor note comes from the signal, under its policy")
    func pdqNote() {
        let hashes = [HashOutput(key: "pdq", value: .hex(String(repeating: "0", count: 64))), HashOutput(key: "pdq_quality", value: .integer(40))]
        #expect(PDQSignal().notes(for: hashes) == ["pdq quality 40 is below the matching floor 50: not matched"])
        #expect(PDQSignal(policy: PDQMatchPolicy(maxDistance: 31, qualityFloor: 40, dihedral: false)).notes(for: hashes).isEmpty)
        #expect(PDQMatchPolicy.standard.queries(for: hashes) == nil)
    }

    @Test("A second signal registered from a test reaches notes, header options and the CSV and VICS exports")
    func toySignal() throws {
        let catalog = try SignalCatalog.builtIn.replacing(ToySignal())
        #expect(catalog.signals.map(\.id) == ["pdq", "vpdq", "toy"])
        let configuration = try Self.configuration(signals: catalog, plugins: [ToyPlugin()])

        let low = Self.analysed(Array(repeating: 1, count: 11), configuration)
        #expect(low.hash("toy") == .hex("b"))
        #expect(low.notes == ["toy score 1 is low"])
        let high = Self.analysed(Array(repeating: 1, count: 13), configuration)
        #expect(high.notes.isEmpty)

        let header = configuration.header(started: Timestamp.now()).manifestJSON.serialized
        #expect(header.contains("\"pdq_dihedral\":false,\"vpdq_distance\":31,\"vpdq_quality\":50,\"vpdq_query_match\":\"80\",\"vpdq_compared_match\":\"0\",\"toy_floor\":3,"))

        var csv = CSVExporter(signals: catalog)
        let scanHeader = configuration.header(started: Timestamp.now())
        let columns = csv.begin(header: scanHeader)
        #expect(columns.hasSuffix(",path_b64,pdq,pdq_quality,pdq_distance,vpdq_frames,video_codec,toy,toy_score\r\n"))
        #expect(csv.item(low).hasSuffix(",,,,,,b,1\r\n"))

        var record = low
        record.hashes.insert(HashOutput(key: "md5", value: .hex(String(repeating: "a", count: 32))), at: 0)
        var vics = VICSExporter(signals: catalog)
        _ = vics.begin(header: scanHeader)
        #expect(vics.item(record).contains("\"HashName\":\"TOY\",\"HashValue\":\"b\""))
    }

    @Test("Without a catalog entry the scanner adds no signal's notes")
    func noCatalogNoNotes() throws {
        let configuration = try Self.configuration(signals: .empty, plugins: [ToyPlugin()])
        #expect(Self.analysed(Array(repeating: 1, count: 11), configuration).notes.isEmpty)
    }
}
