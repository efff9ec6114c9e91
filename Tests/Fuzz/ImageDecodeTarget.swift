import ImageDecoding
import PDQ
import PHash

/// The image-decode path: the decoder the signature picks (`image`) or one decoder forced on
/// every input (`image-jpeg`, ...), then PDQ with its dihedral hashes and pHash on success,
/// with the scanner's perceptual options.
enum ImageDecodeTarget {
    /// The scanner's options for perceptual hashing: a 16-megapixel cap and JPEG luma-only decodes.
    static let options = ImageDecodeOptions(maxPixels: 16_000_000, jpegLumaOnly: true)

    /// `image` plus one target per decoder.
    static let targets: [FuzzTarget] =
        [FuzzTarget(name: "image", summary: "ImageDecoder.decode (format from the signature), PDQ and pHash") { bytes in
            hash(try? ImageDecoder.decode(bytes, options: options))
        }]
        + ImageFormat.allCases.map { format in
            FuzzTarget(name: "image-\(format.rawValue)", summary: "the \(format.rawValue) decoder on every input, PDQ and pHash") {
                bytes in
                hash(try? ImageDecoder.decode(bytes, as: format, options: options))
            }
        }

    private static func hash(_ image: DecodedImage?) {
        guard let image else { return }
        _ = PDQHasher.hash(image, dihedral: true)
        _ = PHasher.hash(image)
    }
}
