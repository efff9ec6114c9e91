import BlindfoldCore
import ImageDecoding

/// The `phash` plugin: ImageHash's 64-bit DCT hash of every image item. Off by default (it
/// decodes JPEGs in full colour, three times the cost of PDQ's luma decode); `--phash` turns
/// it on.
public struct PHashPlugin: WholeItemPlugin {
    /// Images declaring more pixels than this get `limit` without being decoded.
    public let maxPixels: Int

    /// A plugin with its pixel limit.
    public init(maxPixels: Int = 100_000_000) {
        self.maxPixels = maxPixels
    }

    public var descriptor: HashPluginDescriptor {
        HashPluginDescriptor(
            id: "phash", version: "1", summary: "ImageHash pHash (64-bit DCT hash, 16 hex digits)",
            accepts: MIMEFilter(["image/*"]), inputMode: .wholeItem)
    }

    /// Decodes one image's bytes and hashes it.
    public func outcome(for bytes: [UInt8], context: ItemContext) -> PluginOutcome {
        bytes.withUnsafeBytes(hash)
    }

    private func hash(_ bytes: UnsafeRawBufferPointer) -> PluginOutcome {
        do throws(ImageDecodeError) {
            let image = try ImageDecoder.decode(bytes, options: ImageDecodeOptions(maxPixels: maxPixels))
            return .values([HashOutput(key: descriptor.id, value: .hex(PHasher.hash(image)))])
        } catch {
            return .failure(PluginFailure(status: error.status, reason: error.reason))
        }
    }
}
