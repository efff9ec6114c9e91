import BlindfoldCore
import CHeif

/// HEIF and HEIC (and AVIF where libheif has the codec) through libheif: the primary image,
/// interleaved RGB, container transformations (rotation, mirroring) not applied, matching the
/// rule that orientation is left to the dihedral hashes.
enum HEIFDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        let context = try HEIFContext(bytes)
        return try context.decodePrimary(options: options)
    }
}

/// Owns one libheif context and the handles taken from it; `deinit` frees them.
private final class HEIFContext {
    private let context: OpaquePointer
    private var handle: OpaquePointer?

    init(_ bytes: UnsafeRawBufferPointer) throws(ImageDecodeError) {
        guard let context = heif_context_alloc() else { throw ImageDecodeError(.unsupported, "libheif could not start") }
        self.context = context
        let read = heif_context_read_from_memory_without_copy(context, bytes.baseAddress, bytes.count, nil)
        if read.code != heif_error_Ok { throw Self.failure(read, stage: "container") }
    }

    deinit {
        if let handle { heif_image_handle_release(handle) }
        heif_context_free(context)
    }

    func decodePrimary(options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        var primary: OpaquePointer?
        let found = heif_context_get_primary_image_handle(context, &primary)
        guard found.code == heif_error_Ok, let primary else { throw Self.failure(found, stage: "primary image") }
        handle = primary
        let width = Int(heif_image_handle_get_width(primary)), height = Int(heif_image_handle_get_height(primary))
        try options.admit(width: width, height: height)

        let decoding = heif_decoding_options_alloc()
        defer { heif_decoding_options_free(decoding) }
        decoding?.pointee.ignore_transformations = 1
        var image: OpaquePointer?
        let decoded = heif_decode_image(primary, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, decoding)
        guard decoded.code == heif_error_Ok, let image else { throw Self.failure(decoded, stage: "image data") }
        defer { heif_image_release(image) }
        var stride: Int32 = 0
        let planeWidth = Int(heif_image_get_width(image, heif_channel_interleaved))
        let planeHeight = Int(heif_image_get_height(image, heif_channel_interleaved))
        guard let plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride),
            planeWidth > 0, planeHeight > 0, Int(stride) >= planeWidth * 3
        else { throw ImageDecodeError(.corrupt, "HEIF: the decoder returned no pixels") }
        try options.admit(width: planeWidth, height: planeHeight)
        var pixels = [UInt8](repeating: 0, count: planeWidth * planeHeight * 3)
        pixels.withUnsafeMutableBufferPointer { out in
            for row in 0..<planeHeight {
                let source = UnsafeBufferPointer(start: plane + row * Int(stride), count: planeWidth * 3)
                for (index, value) in source.enumerated() { out[row * planeWidth * 3 + index] = value }
            }
        }
        return DecodedImage(width: planeWidth, height: planeHeight, layout: .rgb, pixels: pixels)
    }

    private static func failure(_ error: heif_error, stage: String) -> ImageDecodeError {
        // libheif's messages can quote box types from the file: only its codes are used.
        let detail = "libheif error \(error.code.rawValue).\(error.subcode.rawValue)"
        switch error.code {
        case heif_error_Unsupported_filetype, heif_error_Unsupported_feature, heif_error_Plugin_loading_error:
            return ImageDecodeError(.unsupported, "HEIF \(stage): a feature the decoder does not support (\(detail))")
        case heif_error_Memory_allocation_error:
            return ImageDecodeError(.limit, "HEIF \(stage): the image exceeds a decoder limit (\(detail))")
        case heif_error_Invalid_input where error.subcode == heif_suberror_End_of_data:
            return ImageDecodeError(.truncated, "HEIF \(stage): the image data ends early (\(detail))")
        default:
            return ImageDecodeError(.corrupt, "HEIF \(stage): the image data is damaged (\(detail))")
        }
    }
}


