import BlindfoldCore
import ImageDecoding
import Signals

/// How the PDQ plugin hashes.
public struct PDQOptions: Sendable, Hashable {
    /// Also compute the seven rotated and mirrored hashes (`hashes.pdq_dihedral`).
    public var dihedral: Bool
    /// Decode JPEGs at a reduced DCT scale while the short side stays at least
    /// ``fastMinimumShortSide`` pixels: faster, a few bits from the reference.
    public var fast: Bool
    /// Images declaring more pixels than this get `limit` without being decoded.
    public var maxPixels: Int

    /// JPEGs with fewer pixels than this are decoded in colour and their luminance computed as
    /// the reference does; larger ones use the file's own Y plane (three times cheaper).
    public var lumaOnlyMinimumPixels = 1_000_000

    /// The short side the fast path keeps: below about 1000 pixels fine textures lose bits.
    public static let fastMinimumShortSide = 1000

    /// Options from their parts.
    public init(dihedral: Bool = false, fast: Bool = false, maxPixels: Int = 100_000_000) {
        self.dihedral = dihedral
        self.fast = fast
        self.maxPixels = maxPixels
    }

    /// What the decoder is asked for: the JPEG's own luma plane, at full size unless fast.
    public var decodeOptions: ImageDecodeOptions {
        ImageDecodeOptions(maxPixels: maxPixels, jpegLumaOnly: true, jpegLumaOnlyMinimumPixels: lumaOnlyMinimumPixels,
                           jpegMinimumShortSide: fast ? Self.fastMinimumShortSide : nil)
    }

    /// The declared options' values, by name (the descriptor's `settings`).
    var settings: [String: OptionValue] {
        [PDQPlugin.Option.dihedral.name: .bool(dihedral), PDQPlugin.Option.fast.name: .bool(fast)]
    }
}

/// The `pdq` plugin: Meta's 256-bit perceptual hash and its quality score for every image
/// item, optionally with the eight dihedral hashes.
public struct PDQPlugin: WholeItemPlugin {
    /// The options PDQ declares: the command line, the workers' arguments and the header's
    /// plugin entry are generated from these.
    public enum Option {
        /// `--pdq-dihedral`: adds `pdq_dihedral` to the output.
        public static let dihedral = PluginOption(
            name: "dihedral", flag: "pdq-dihedral", defaultValue: .bool(false),
            help: "Also compute and match the seven rotated and mirrored PDQ hashes of every image.", changesOutput: true)
        /// `--pdq-fast`: changes the hash's bits on large JPEGs.
        public static let fast = PluginOption(
            name: "fast", flag: "pdq-fast", defaultValue: .bool(false),
            help: "Decode JPEGs at a reduced scale (short side kept at 1000 px or more): faster, a few bits from the reference.",
            changesOutput: true)
        /// Every option, in the header's order.
        public static let all = [dihedral, fast]
    }

    /// How it hashes.
    public let options: PDQOptions

    /// A plugin with `options`.
    public init(options: PDQOptions = PDQOptions()) { self.options = options }

    public var descriptor: HashPluginDescriptor {
        let keys = [PDQSignal.Key.hash, PDQSignal.Key.quality] + (options.dihedral ? [PDQSignal.Key.dihedral] : [])
        return HashPluginDescriptor(
            id: PDQSignal.Key.hash, version: "1",
            summary: "PDQ perceptual hash (256 bits, ThreatExchange order) and quality 0-100"
                + (options.fast ? ", fast JPEG path" : "") + (options.dihedral ? ", with dihedral hashes" : ""),
            accepts: MIMEFilter(["image/*"]), inputMode: .wholeItem, outputKeys: keys,
            options: Option.all, settings: options.settings)
    }

    /// Decodes one image's bytes and hashes it.
    public func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome {
        bytes.withUnsafeBytes(hash)
    }

    private func hash(_ bytes: UnsafeRawBufferPointer) -> PluginOutcome {
        let image: DecodedImage
        do throws(ImageDecodeError) {
            image = try ImageDecoder.decode(bytes, options: options.decodeOptions)
        } catch {
            return .failure(PluginFailure(status: error.status, reason: error.reason))
        }
        let result = PDQHasher.hash(image, dihedral: options.dihedral)
        var values = [
            HashOutput(key: PDQSignal.Key.hash, value: .hex(result.hash.hex)),
            HashOutput(key: PDQSignal.Key.quality, value: .integer(result.quality)),
        ]
        if let dihedral = result.dihedral {
            values.append(HashOutput(key: PDQSignal.Key.dihedral, value: .hexList(dihedral.map(\.hex))))
        }
        return .values(values)
    }
}
