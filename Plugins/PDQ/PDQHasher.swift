import BlindfoldCore
import Foundation
import ImageDecoding
import Signals

/// What PDQ computes for one image.
public struct PDQResult: Sendable, Hashable {
    /// The 256-bit hash of the image as it is.
    public var hash: PDQHash
    /// The reference's quality score, 0 to 100; below 50 the hash should not be matched.
    public var quality: Int
    /// The eight dihedral hashes when asked for: original, rotated 90° counter-clockwise, 180°,
    /// 270°, flipped top to bottom, flipped left to right, transposed, anti-transposed.
    public var dihedral: [PDQHash]?
}

/// The PDQ perceptual hash, written from Meta's published description: luminance, the
/// two-pass box (Jarosz) downsampling to 64x64, the quality metric on that grid, a 16x16 DCT
/// (coefficients 1 to 16 in each direction), and each coefficient compared with the median.
public enum PDQHasher {
    /// Images narrower or shorter than this hash to zero with quality 0, as in the reference.
    static let minimumDimension = 5

    /// The hash of `image` (and its dihedral variants when `dihedral` is true).
    public static func hash(_ image: DecodedImage, dihedral: Bool = false) -> PDQResult {
        guard image.width >= minimumDimension, image.height >= minimumDimension else {
            return PDQResult(hash: .zero, quality: 0, dihedral: dihedral ? Array(repeating: .zero, count: 8) : nil)
        }
        let grid = downsample(image)
        let quality = qualityMetric(grid)
        let coefficients = dct64To16(grid)
        let hash = threshold(coefficients)
        guard dihedral else { return PDQResult(hash: hash, quality: quality, dihedral: nil) }
        let variants = DihedralTransform.allCases.map { threshold($0.apply(coefficients)) }
        return PDQResult(hash: hash, quality: quality, dihedral: variants)
    }

    /// The 64x64 luminance grid the reference gets by blurring and decimating (row-major).
    static func downsample(_ image: DecodedImage) -> [Float] {
        let width = image.width, height = image.height
        let vertical = TentSampling(length: height)
        let horizontal = TentSampling(length: width)
        // rows[i] accumulates the vertically weighted input rows that sample row i reads; each
        // input row feeds one or two sample rows, so this is about one multiply-add per pixel.
        var rows = [Float](repeating: 0, count: 64 * width)
        var luma = [Float](repeating: 0, count: width)
        var firstActive = 0
        image.pixels.withUnsafeBufferPointer { pixels in
            rows.withUnsafeMutableBufferPointer { rows in
                luma.withUnsafeMutableBufferPointer { luma in
                    guard let source = pixels.baseAddress, let target = rows.baseAddress, let lumaRow = luma.baseAddress else { return }
                    for row in 0..<height {
                        while firstActive < 64,
                            vertical.starts[firstActive] + vertical.weights[firstActive].count <= row
                        { firstActive += 1 }
                        guard firstActive < 64, vertical.starts[firstActive] <= row else { continue }
                        let grey = image.layout == .gray
                        if !grey { Luminance.fill(luma, from: pixels, row: row, width: width, layout: image.layout) }
                        var sample = firstActive
                        while sample < 64, vertical.starts[sample] <= row {
                            let offset = row - vertical.starts[sample]
                            if offset < vertical.weights[sample].count {
                                let weight = vertical.weights[sample][offset]
                                let accumulator = target + sample * width
                                if grey {
                                    Self.accumulate(accumulator, source + row * width, weight: weight, count: width)
                                } else {
                                    Self.accumulate(accumulator, UnsafePointer(lumaRow), weight: weight, count: width)
                                }
                            }
                            sample += 1
                        }
                    }
                }
            }
        }
        var grid = [Float](repeating: 0, count: 64 * 64)
        for i in 0..<64 {
            for j in 0..<64 {
                let start = horizontal.starts[j]
                var sum: Float = 0
                for (offset, weight) in horizontal.weights[j].enumerated() { sum += weight * rows[i * width + start + offset] }
                grid[i * 64 + j] = sum
            }
        }
        return grid
    }

    /// `accumulator[k] += weight * values[k]` for `count` elements (vectorised by the compiler).
    @inline(__always)
    private static func accumulate(
        _ accumulator: UnsafeMutablePointer<Float>, _ values: UnsafePointer<UInt8>, weight: Float, count: Int
    ) {
        for index in 0..<count { accumulator[index] += weight * Float(values[index]) }
    }

    @inline(__always)
    private static func accumulate(
        _ accumulator: UnsafeMutablePointer<Float>, _ values: UnsafePointer<Float>, weight: Float, count: Int
    ) {
        for index in 0..<count { accumulator[index] += weight * values[index] }
    }

    /// The reference's quality: the sum of quantised neighbour differences on the 64x64 grid,
    /// divided by 90, capped at 100.
    static func qualityMetric(_ grid: [Float]) -> Int {
        var gradientSum = 0
        for i in 0..<63 {
            for j in 0..<64 {
                gradientSum += abs(Int(((grid[i * 64 + j] - grid[(i + 1) * 64 + j]) * 100) / 255))
            }
        }
        for i in 0..<64 {
            for j in 0..<63 {
                gradientSum += abs(Int(((grid[i * 64 + j] - grid[i * 64 + j + 1]) * 100) / 255))
            }
        }
        return min(gradientSum / 90, 100)
    }

    /// The 16x64 DCT-II basis without its constant row: row `i` is frequency `i + 1`.
    static let dctMatrix: [Float] = {
        let scale = Float((2.0 / 64.0).squareRoot())
        var matrix = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                matrix[i * 64 + j] = Float(Double(scale) * cos(Double.pi / 2 / 64 * Double(i + 1) * Double(2 * j + 1)))
            }
        }
        return matrix
    }()

    /// `D · A · Dᵀ` for the 64x64 grid `A`: the 16x16 low-frequency block (row-major).
    static func dct64To16(_ grid: [Float]) -> [Float] {
        let d = dctMatrix
        var partial = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                var sum: Float = 0
                for k in 0..<64 { sum += d[i * 64 + k] * grid[k * 64 + j] }
                partial[i * 64 + j] = sum
            }
        }
        var block = [Float](repeating: 0, count: 256)
        for i in 0..<16 {
            for j in 0..<16 {
                var sum: Float = 0
                for k in 0..<64 { sum += partial[i * 64 + k] * d[j * 64 + k] }
                block[i * 16 + j] = sum
            }
        }
        return block
    }

    /// Bit `16 * i + j` is set when coefficient (i, j) exceeds the median (the 128th smallest,
    /// as the reference's Torben selection returns for 256 values).
    static func threshold(_ block: [Float]) -> PDQHash {
        let median = block.sorted()[127]
        return PDQHash(bits: block.map { $0 > median })
    }
}

/// The reference's luminance: `0.299 R + 0.587 G + 0.114 B` in single precision; grey images
/// (and a JPEG's own Y plane) are used as they are.
enum Luminance {
    static let red: Float = 0.299
    static let green: Float = 0.587
    static let blue: Float = 0.114

    static func fill(
        _ luma: UnsafeMutableBufferPointer<Float>, from pixels: UnsafeBufferPointer<UInt8>, row: Int, width: Int,
        layout: PixelLayout
    ) {
        let channels = layout.channels
        let base = row * width * channels
        switch layout {
        case .gray, .grayAlpha:
            for column in 0..<width { luma[column] = Float(pixels[base + column * channels]) }
        case .rgb, .rgba:
            for column in 0..<width {
                let offset = base + column * channels
                luma[column] = red * Float(pixels[offset]) + green * Float(pixels[offset + 1]) + blue * Float(pixels[offset + 2])
            }
        }
    }
}
