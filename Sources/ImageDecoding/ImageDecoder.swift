/// Decodes an in-memory image file, choosing the decoder by the file's signature.
///
/// Every decoder checks the declared dimensions against ``ImageDecodeOptions/maxPixels``
/// before it allocates pixels, so memory is bounded by the limit, never by what a file claims.
public enum ImageDecoder {
    /// The decoded pixels of `bytes`.
    ///
    /// - Throws: ``ImageDecodeError`` with `unsupported` (no decoder for this format),
    ///   `limit`, `truncated` or `corrupt`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        guard let format = ImageFormat(signature: bytes) else {
            throw ImageDecodeError(.unsupported, "no decoder recognises this image format")
        }
        return try decode(bytes, as: format, options: options)
    }

    /// The decoded pixels of `bytes`, read as `format`.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, as format: ImageFormat, options: ImageDecodeOptions
    ) throws(ImageDecodeError) -> DecodedImage {
        switch format {
        case .jpeg: try JPEGDecoder().decode(bytes, options: options)
        case .png: try PNGDecoder.decode(bytes, options: options)
        case .gif: try GIFDecoder.decode(bytes, options: options)
        case .bmp: try BMPDecoder.decode(bytes, options: options)
        case .webp: try WebPDecoder.decode(bytes, options: options)
        case .tiff: try TIFFDecoder.decode(bytes, options: options)
        case .heif: try HEIFDecoder.decode(bytes, options: options)
        case .netpbm: try NetpbmDecoder.decode(bytes, options: options)
        }
    }
}
