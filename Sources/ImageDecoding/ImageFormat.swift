/// The image container formats the decoders handle, told apart by their first bytes (never by
/// the name, which may lie).
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg
    case png
    case gif
    case bmp
    case webp
    case tiff
    case heif
    /// PBM, PGM and PPM (`P1` to `P6`).
    case netpbm

    /// The format whose signature starts `bytes`, or nil.
    public init?(signature bytes: UnsafeRawBufferPointer) {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            guard bytes.count >= offset + prefix.count else { return false }
            for (index, byte) in prefix.enumerated() where bytes[offset + index] != byte { return false }
            return true
        }
        if starts([0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) {
            self = .gif
        } else if starts(Array("BM".utf8)) {
            self = .bmp
        } else if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) {
            self = .webp
        } else if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
            || starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) {
            self = .tiff
        } else if starts(Array("ftyp".utf8), at: 4), bytes.count >= 12 {
            let brand = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[8..<12]), as: UTF8.self)
            guard ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"].contains(brand)
            else { return nil }
            self = .heif
        } else if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[1]),
            NetpbmReader.isWhitespace(bytes[2]) || bytes[2] == UInt8(ascii: "#")
        {
            self = .netpbm
        } else {
            return nil
        }
    }
}
