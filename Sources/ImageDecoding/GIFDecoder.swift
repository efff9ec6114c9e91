import CGIF

/// GIF through giflib: the first frame only, on the logical screen as Pillow builds it (the
/// screen starts as the frame's transparent index, else index 0), palette mapped to RGB.
/// Reads record by record, so later frames of an animation are never decoded.
enum GIFDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        let reader = SeekableMemory(bytes)
        var openError: Int32 = 0
        let context = Unmanaged.passUnretained(reader).toOpaque()
        guard let gif = DGifOpen(context, { file, destination, length in
            guard let file, let destination, let user = file.pointee.UserData else { return 0 }
            return Int32(Unmanaged<SeekableMemory>.fromOpaque(user).takeUnretainedValue().read(into: destination, count: Int(length)))
        }, &openError) else {
            throw ImageDecodeError(openError == D_GIF_ERR_READ_FAILED ? .truncated : .corrupt,
                                   "GIF header: \(errorText(openError))")
        }
        defer {
            var closeError: Int32 = 0
            DGifCloseFile(gif, &closeError)
        }
        return try withExtendedLifetime(reader) { () throws(ImageDecodeError) -> DecodedImage in
            try firstFrame(gif, options: options)
        }
    }

    private static func firstFrame(_ gif: UnsafeMutablePointer<GifFileType>, options: ImageDecodeOptions) throws(ImageDecodeError) -> DecodedImage {
        let width = Int(gif.pointee.SWidth), height = Int(gif.pointee.SHeight)
        try options.admit(width: width, height: height)
        var transparentIndex: UInt8?
        while true {
            var record = UNDEFINED_RECORD_TYPE
            guard DGifGetRecordType(gif, &record) == GIF_OK else { throw failure(gif, stage: "record") }
            switch record {
            case EXTENSION_RECORD_TYPE:
                var code: Int32 = 0
                var block: UnsafeMutablePointer<GifByteType>?
                guard DGifGetExtension(gif, &code, &block) == GIF_OK else { throw failure(gif, stage: "extension") }
                // Graphics control: [size=4, flags, delay lo, delay hi, transparent index].
                if code == GRAPHICS_EXT_FUNC_CODE, let block, block[0] >= 4, block[1] & 1 == 1 { transparentIndex = block[4] }
                while block != nil {
                    guard DGifGetExtensionNext(gif, &block) == GIF_OK else { throw failure(gif, stage: "extension") }
                }
            case IMAGE_DESC_RECORD_TYPE:
                guard DGifGetImageDesc(gif) == GIF_OK else { throw failure(gif, stage: "image descriptor") }
                return try frame(gif, width: width, height: height, background: transparentIndex ?? 0, options: options)
            case TERMINATE_RECORD_TYPE:
                throw ImageDecodeError(.corrupt, "GIF: the file holds no image")
            default:
                throw ImageDecodeError(.corrupt, "GIF: unexpected record")
            }
        }
    }

    private static func frame(
        _ gif: UnsafeMutablePointer<GifFileType>, width: Int, height: Int, background: UInt8, options: ImageDecodeOptions
    ) throws(ImageDecodeError) -> DecodedImage {
        let descriptor = gif.pointee.Image
        let frameWidth = Int(descriptor.Width), frameHeight = Int(descriptor.Height)
        let left = Int(descriptor.Left), top = Int(descriptor.Top)
        try options.admit(width: max(frameWidth, 1), height: max(frameHeight, 1))
        guard let map = descriptor.ColorMap ?? gif.pointee.SColorMap else {
            throw ImageDecodeError(.corrupt, "GIF: no colour map")
        }
        var indices = [UInt8](repeating: background, count: width * height)
        var line = [GifPixelType](repeating: 0, count: max(frameWidth, 1))
        for row in rowOrder(height: frameHeight, interlaced: descriptor.Interlace) {
            let read = line.withUnsafeMutableBufferPointer { DGifGetLine(gif, $0.baseAddress, Int32(frameWidth)) }
            guard read == GIF_OK else { throw failure(gif, stage: "image data") }
            let y = top + row
            guard y < height else { continue }
            for x in 0..<frameWidth where left + x < width { indices[y * width + left + x] = line[x] }
        }
        let count = Int(map.pointee.ColorCount)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for (offset, index) in indices.enumerated() where Int(index) < count {
            let colour = map.pointee.Colors[Int(index)]
            pixels[offset * 3] = colour.Red
            pixels[offset * 3 + 1] = colour.Green
            pixels[offset * 3 + 2] = colour.Blue
        }
        return DecodedImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// Rows in the order they are stored: top to bottom, or GIF's four interlace passes.
    static func rowOrder(height: Int, interlaced: Bool) -> [Int] {
        guard interlaced else { return Array(0..<height) }
        return Array(stride(from: 0, to: height, by: 8)) + Array(stride(from: 4, to: height, by: 8))
            + Array(stride(from: 2, to: height, by: 4)) + Array(stride(from: 1, to: height, by: 2))
    }

    private static func failure(_ gif: UnsafeMutablePointer<GifFileType>, stage: String) -> ImageDecodeError {
        let code = gif.pointee.Error
        let truncated = code == D_GIF_ERR_READ_FAILED || code == D_GIF_ERR_EOF_TOO_SOON
        return ImageDecodeError(truncated ? .truncated : .corrupt, "GIF \(stage): \(errorText(code))")
    }

    /// giflib's message for an error code: a fixed table, never text from the file.
    private static func errorText(_ code: Int32) -> String {
        guard (0...1000).contains(code), let text = GifErrorString(code) else { return "an unknown error" }
        return String(cString: text).filter { $0.isASCII && !$0.isNewline }
    }
}
