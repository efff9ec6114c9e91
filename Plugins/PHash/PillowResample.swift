/// Pillow's Lanczos resampling of an 8-bit grey image, reproduced exactly: coefficients in
/// double precision, normalised, rounded to 22-bit fixed point, a horizontal pass over only
/// the rows the vertical pass reads, each pass rounded and clipped to 8 bits.
///
/// ImageHash resizes with it; matching its integer arithmetic is what makes the hashes agree
/// bit for bit rather than nearly.
///
/// Each output's weights are computed when that output is, and dropped after: a window spans
/// 6 x (side / 32) inputs, so a table of all 32 windows of a 16-million-pixel side would take
/// 768 MB (Pillow keeps such a table; the arithmetic here is the same, only the order of the
/// loops differs).
import Foundation

enum PillowResample {
    static let precisionBits = 32 - 8 - 2

    /// Lanczos (a = 3), Pillow's "truncated sinc".
    static func lanczos(_ x: Double) -> Double {
        guard -3.0 <= x && x < 3.0 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let scaled = x * Double.pi
        return sin(scaled) / scaled
    }

    /// One axis: where each output's window lies and its fixed-point weights.
    struct Axis {
        let inputSize: Int
        let scale: Double
        let filterScale: Double
        let support: Double

        init(inputSize: Int, outputSize: Int) {
            self.inputSize = inputSize
            scale = Double(inputSize) / Double(outputSize)
            filterScale = max(scale, 1.0)
            support = 3.0 * filterScale
        }

        /// The first input and the number of inputs output `output` reads.
        func bounds(_ output: Int) -> (first: Int, count: Int) {
            let centre = (Double(output) + 0.5) * scale
            var first = Int(centre - support + 0.5)
            if first < 0 { first = 0 }
            var last = Int(centre + support + 0.5)
            if last > inputSize { last = inputSize }
            return (first, max(last - first, 0))
        }

        /// Output `output`'s weights, one per input from `bounds(output).first` on.
        func weights(_ output: Int) -> [Int] {
            let centre = (Double(output) + 0.5) * scale
            let inverse = 1.0 / filterScale
            let (first, count) = bounds(output)
            var raw = (0..<count).map { lanczos((Double($0 + first) - centre + 0.5) * inverse) }
            let total = raw.reduce(0, +)
            if total != 0 { raw = raw.map { $0 / total } }
            let unit = Double(1 << PillowResample.precisionBits)
            return raw.map { $0 < 0 ? Int(-0.5 + $0 * unit) : Int(0.5 + $0 * unit) }
        }
    }

    /// Pillow's `clip8`: the fixed-point sum shifted down and clamped to a byte.
    static func clip8(_ sum: Int) -> UInt8 { UInt8(clamping: sum >> precisionBits) }

    /// Widths up to this resize through a band of horizontally resampled rows (see
    /// `resizeThroughBand`); wider images have few rows, and resample column by column.
    static let bandWidthLimit = 1 << 16

    /// `gray` (width x height) resized to `outputWidth` x `outputHeight`.
    static func resize(
        _ gray: [UInt8], width: Int, height: Int, outputWidth: Int, outputHeight: Int, bandWidthLimit: Int = bandWidthLimit
    ) -> [UInt8] {
        guard outputWidth > 0, outputHeight > 0 else { return [] }
        let horizontal = Axis(inputSize: width, outputSize: outputWidth)
        let vertical = Axis(inputSize: height, outputSize: outputHeight)
        let needHorizontal = outputWidth != width
        let needVertical = outputHeight != height
        if needHorizontal && needVertical && width <= bandWidthLimit {
            return resizeThroughBand(gray, width: width, horizontal: horizontal, vertical: vertical,
                                     outputWidth: outputWidth, outputHeight: outputHeight)
        }
        var image = gray
        var currentWidth = width
        var currentHeight = height
        var rowOffset = 0
        let rounding = 1 << (precisionBits - 1)

        if needHorizontal {
            // Only the rows the vertical pass will read; one output column (and one window of
            // weights) at a time.
            let firstRow = needVertical ? vertical.bounds(0).first : 0
            let lastRow = needVertical ? vertical.bounds(outputHeight - 1).first + vertical.bounds(outputHeight - 1).count : height
            let rows = max(lastRow - firstRow, 0)
            var temporary = [UInt8](repeating: 0, count: outputWidth * rows)
            for x in 0..<outputWidth {
                let first = horizontal.bounds(x).first
                let weights = horizontal.weights(x)
                for row in firstRow..<firstRow + rows {
                    var sum = rounding
                    let base = row * currentWidth + first
                    for k in 0..<weights.count { sum += Int(image[base + k]) * weights[k] }
                    temporary[(row - firstRow) * outputWidth + x] = clip8(sum)
                }
            }
            rowOffset = firstRow
            image = temporary
            currentWidth = outputWidth
            currentHeight = rows
        }
        guard needVertical else { return image }
        var output = [UInt8](repeating: 0, count: currentWidth * outputHeight)
        for y in 0..<outputHeight {
            let first = vertical.bounds(y).first - rowOffset
            let weights = vertical.weights(y)
            for x in 0..<currentWidth {
                var sum = rounding
                for k in 0..<weights.count where first + k < currentHeight {
                    sum += Int(image[(first + k) * currentWidth + x]) * weights[k]
                }
                output[y * currentWidth + x] = clip8(sum)
            }
        }
        return output
    }

    /// Both passes at once, keeping only the horizontally resampled rows the current output
    /// row's window covers (windows move down monotonically): a 1 x 16,000,000 image needs a
    /// band of 3 million rows instead of all 16 million widened to 32 columns. Each resampled
    /// row is computed once, as in Pillow, and the sums are the same integers.
    private static func resizeThroughBand(
        _ gray: [UInt8], width: Int, horizontal: Axis, vertical: Axis, outputWidth: Int, outputHeight: Int
    ) -> [UInt8] {
        let rounding = 1 << (precisionBits - 1)
        let columns = (0..<outputWidth).map { (first: horizontal.bounds($0).first, weights: horizontal.weights($0)) }
        var band: [UInt8] = []
        var bandStart = 0
        var bandEnd = 0
        var output = [UInt8](repeating: 0, count: outputWidth * outputHeight)
        for y in 0..<outputHeight {
            let (first, count) = vertical.bounds(y)
            if first >= bandEnd {
                band.removeAll(keepingCapacity: true)
                bandStart = first
                bandEnd = first
            } else if first > bandStart {
                band.removeFirst((first - bandStart) * outputWidth)
                bandStart = first
            }
            while bandEnd < first + count {
                let base = bandEnd * width
                for column in columns {
                    var sum = rounding
                    for k in 0..<column.weights.count { sum += Int(gray[base + column.first + k]) * column.weights[k] }
                    band.append(clip8(sum))
                }
                bandEnd += 1
            }
            let weights = vertical.weights(y)
            for x in 0..<outputWidth {
                var sum = rounding
                for k in 0..<count { sum += Int(band[k * outputWidth + x]) * weights[k] }
                output[y * outputWidth + x] = clip8(sum)
            }
        }
        return output
    }
}
