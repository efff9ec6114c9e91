import BlindfoldCore
import ImageDecoding

/// How the PDQ plugin hashes.
public struct PDQOptions: Sendable, Hashable {
    /// Also compute the seven rotated and mirrored hashes (`hashes.pdq_dihedral`).
    public var dihedral: Bool
    /// Decode JPEGs at a reduced DCT scale while the short side stays at least
    /// ``fastMinimumShortSide`` pixels: faster, a few bits from the reference.
    public var fast: Bool
    /// Images declaring more pixels than this get `limit` without being decoded.
    public var maxPixels: Int
    /// Image files larger than this get `limit` without being decoded.
    public var maxFileBytes: Int

    /// JPEGs with fewer pixels than this are decoded in colour and their luminance computed as
    /// the reference does; larger ones use the file's own Y plane (three times cheaper).
    public var lumaOnlyMinimumPixels = 1_000_000

    /// The short side the fast path keeps: below about 1000 pixels fine textures lose bits.
    public static let fastMinimumShortSide = 1000

    /// Options from their parts.
    public init(dihedral: Bool = false, fast: Bool = false, maxPixels: Int = 100_000_000, maxFileBytes: Int = 256 << 20) {
        self.dihedral = dihedral
        self.fast = fast
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
    }

    /// What the decoder is asked for: the JPEG's own luma plane, at full size unless fast.
    public var decodeOptions: ImageDecodeOptions {
        ImageDecodeOptions(maxPixels: maxPixels, jpegLumaOnly: true, jpegLumaOnlyMinimumPixels: lumaOnlyMinimumPixels,
                           jpegMinimumShortSide: fast ? Self.fastMinimumShortSide : nil)
    }
}

/// The `pdq` plugin: Meta's 256-bit perceptual hash and its quality score for every image
/// item, optionally with the eight dihedral hashes.
public struct PDQPlugin: HashPlugin {
    /// How it hashes.
    public let options: PDQOptions

    /// A plugin with `options`.
    public init(options: PDQOptions = PDQOptions()) { self.options = options }

    public var descriptor: HashPluginDescriptor {
        HashPluginDescriptor(
            id: "pdq", version: "1",
            summary: "PDQ perceptual hash (256 bits, ThreatExchange order) and quality 0-100"
                + (options.fast ? ", fast JPEG path" : "") + (options.dihedral ? ", with dihedral hashes" : ""),
            accepts: MIMEFilter(["image/*"]), inputMode: .wholeItem,
            outputKeys: options.dihedral ? ["pdq", "pdq_quality", "pdq_dihedral"] : ["pdq", "pdq_quality"])
    }

    public func makeSession(for item: ItemContext) -> (any HashSession)? {
        PDQSession(options: options, expectedSize: item.size)
    }
}

/// Collects one image's bytes, then decodes and hashes it.
final class PDQSession: HashSession {
    private let options: PDQOptions
    private var buffer: ImageBuffer

    init(options: PDQOptions, expectedSize: Int64?) {
        self.options = options
        buffer = ImageBuffer(cap: options.maxFileBytes, expected: expectedSize)
    }

    func update(_ chunk: UnsafeRawBufferPointer) { buffer.append(chunk) }

    func finish() -> PluginOutcome {
        buffer.withBytes { bytes in
            let image: DecodedImage
            do throws(ImageDecodeError) {
                image = try ImageDecoder.decode(bytes, options: options.decodeOptions)
            } catch {
                return .failure(PluginFailure(status: error.status, reason: error.reason))
            }
            let result = PDQHasher.hash(image, dihedral: options.dihedral)
            var values = [
                HashOutput(key: "pdq", value: .hex(result.hash.hex)),
                HashOutput(key: "pdq_quality", value: .integer(result.quality)),
            ]
            if let dihedral = result.dihedral {
                values.append(HashOutput(key: "pdq_dihedral", value: .hexList(dihedral.map(\.hex))))
            }
            return .values(values)
        }
    }
}
