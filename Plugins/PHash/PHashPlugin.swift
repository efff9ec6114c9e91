import BlindfoldCore
import ImageDecoding

/// The `phash` plugin: ImageHash's 64-bit DCT hash of every image item. Off by default (it
/// decodes JPEGs in full colour, three times the cost of PDQ's luma decode); `--phash` turns
/// it on.
public struct PHashPlugin: HashPlugin {
    /// Images declaring more pixels than this get `limit` without being decoded.
    public let maxPixels: Int
    /// Image files larger than this get `limit` without being decoded.
    public let maxFileBytes: Int

    /// A plugin with its limits.
    public init(maxPixels: Int = 100_000_000, maxFileBytes: Int = 256 << 20) {
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
    }

    public var descriptor: HashPluginDescriptor {
        HashPluginDescriptor(
            id: "phash", version: "1", summary: "ImageHash pHash (64-bit DCT hash, 16 hex digits)",
            accepts: MIMEFilter(["image/*"]), inputMode: .wholeItem)
    }

    public func makeSession(for item: ItemContext) -> (any HashSession)? {
        PHashSession(options: ImageDecodeOptions(maxPixels: maxPixels), cap: maxFileBytes, expectedSize: item.size)
    }
}

/// Collects one image's bytes, then decodes and hashes it.
final class PHashSession: HashSession {
    private let options: ImageDecodeOptions
    private var buffer: ImageBuffer

    init(options: ImageDecodeOptions, cap: Int, expectedSize: Int64?) {
        self.options = options
        buffer = ImageBuffer(cap: cap, expected: expectedSize)
    }

    func update(_ chunk: UnsafeRawBufferPointer) { buffer.append(chunk) }

    func finish() -> PluginOutcome {
        buffer.withBytes { bytes in
            do throws(ImageDecodeError) {
                let image = try ImageDecoder.decode(bytes, options: options)
                return .values([HashOutput(key: "phash", value: .hex(PHasher.hash(image)))])
            } catch {
                return .failure(PluginFailure(status: error.status, reason: error.reason))
            }
        }
    }
}
