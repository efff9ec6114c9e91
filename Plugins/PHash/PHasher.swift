import BlindfoldCore
import Foundation
import ImageDecoding

/// The 64-bit DCT perceptual hash as the ImageHash Python package defines `phash`: grey with
/// Pillow's integer weights, Lanczos to 32x32, a 2-D DCT-II, the 8x8 lowest frequencies
/// compared with their median, bits read row by row with the first bit most significant.
public enum PHasher {
    /// The hash of `image` as 16 lower-case hex digits.
    public static func hash(_ image: DecodedImage) -> String {
        let gray = PillowGray.convert(image)
        let small = PillowResample.resize(gray, width: image.width, height: image.height, outputWidth: 32, outputHeight: 32)
        var coefficients = [Double](repeating: 0, count: 64)
        let basis = (0..<8).map { frequency in
            (0..<32).map { position in cos(Double.pi * Double(frequency) * Double(2 * position + 1) / 64) }
        }
        for u in 0..<8 {
            for v in 0..<8 {
                var sum = 0.0
                for y in 0..<32 {
                    var row = 0.0
                    for x in 0..<32 { row += Double(small[y * 32 + x]) * basis[v][x] }
                    sum += row * basis[u][y]
                }
                coefficients[u * 8 + v] = sum
            }
        }
        let sorted = coefficients.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        var value: UInt64 = 0
        for coefficient in coefficients { value = value << 1 | (coefficient > median ? 1 : 0) }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Pillow's conversion to mode "L": `(19595 R + 38470 G + 7471 B + 32768) >> 16`; grey images
/// keep their values, alpha is dropped.
enum PillowGray {
    static func convert(_ image: DecodedImage) -> [UInt8] {
        let count = image.width * image.height
        let channels = image.layout.channels
        var gray = [UInt8](repeating: 0, count: count)
        image.pixels.withUnsafeBufferPointer { pixels in
            for index in 0..<count {
                let offset = index * channels
                if image.layout.isColour {
                    let value = Int(pixels[offset]) * 19595 + Int(pixels[offset + 1]) * 38470 + Int(pixels[offset + 2]) * 7471 + 0x8000
                    gray[index] = UInt8(truncatingIfNeeded: value >> 16)
                } else {
                    gray[index] = pixels[offset]
                }
            }
        }
        return gray
    }
}
