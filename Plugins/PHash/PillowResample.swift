/// Pillow's Lanczos resampling of an 8-bit grey image, reproduced exactly: coefficients in
/// double precision, normalised, rounded to 22-bit fixed point, a horizontal pass over only
/// the rows the vertical pass reads, each pass rounded and clipped to 8 bits.
///
/// ImageHash resizes with it; matching its integer arithmetic is what makes the hashes agree
/// bit for bit rather than nearly.
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

    /// One axis's fixed-point coefficients: for output `i`, the first input and the weights.
    struct Coefficients {
        var bounds: [(first: Int, count: Int)] = []
        var weights: [[Int]] = []

        init(inputSize: Int, outputSize: Int) {
            let scale = Double(inputSize) / Double(outputSize)
            let filterScale = max(scale, 1.0)
            let support = 3.0 * filterScale
            for output in 0..<outputSize {
                let centre = (Double(output) + 0.5) * scale
                let inverse = 1.0 / filterScale
                var first = Int(centre - support + 0.5)
                if first < 0 { first = 0 }
                var last = Int(centre + support + 0.5)
                if last > inputSize { last = inputSize }
                let count = max(last - first, 0)
                var raw = (0..<count).map { lanczos((Double($0 + first) - centre + 0.5) * inverse) }
                let total = raw.reduce(0, +)
                if total != 0 { raw = raw.map { $0 / total } }
                let unit = Double(1 << PillowResample.precisionBits)
                weights.append(raw.map { $0 < 0 ? Int(-0.5 + $0 * unit) : Int(0.5 + $0 * unit) })
                bounds.append((first, count))
            }
        }
    }

    /// Pillow's `clip8`: the fixed-point sum shifted down and clamped to a byte.
    static func clip8(_ sum: Int) -> UInt8 { UInt8(clamping: sum >> precisionBits) }

    /// `gray` (width x height) resized to `outputWidth` x `outputHeight`.
    static func resize(_ gray: [UInt8], width: Int, height: Int, outputWidth: Int, outputHeight: Int) -> [UInt8] {
        let horizontal = Coefficients(inputSize: width, outputSize: outputWidth)
        let vertical = Coefficients(inputSize: height, outputSize: outputHeight)
        let needHorizontal = outputWidth != width
        let needVertical = outputHeight != height
        var image = gray
        var currentWidth = width
        var currentHeight = height
        var verticalBounds = vertical.bounds
        let rounding = 1 << (precisionBits - 1)

        if needHorizontal {
            // Only the rows the vertical pass will read.
            let firstRow = needVertical ? vertical.bounds[0].first : 0
            let lastRow = needVertical ? (vertical.bounds.last.map { $0.first + $0.count } ?? height) : height
            var temporary = [UInt8](repeating: 0, count: outputWidth * (lastRow - firstRow))
            for row in firstRow..<lastRow {
                for x in 0..<outputWidth {
                    let (first, count) = horizontal.bounds[x]
                    var sum = rounding
                    for k in 0..<count { sum += Int(image[row * currentWidth + first + k]) * horizontal.weights[x][k] }
                    temporary[(row - firstRow) * outputWidth + x] = clip8(sum)
                }
            }
            verticalBounds = verticalBounds.map { ($0.first - firstRow, $0.count) }
            image = temporary
            currentWidth = outputWidth
            currentHeight = lastRow - firstRow
        }
        guard needVertical else { return image }
        var output = [UInt8](repeating: 0, count: currentWidth * outputHeight)
        for y in 0..<outputHeight {
            let (first, count) = verticalBounds[y]
            for x in 0..<currentWidth {
                var sum = rounding
                for k in 0..<count where first + k < currentHeight {
                    sum += Int(image[(first + k) * currentWidth + x]) * vertical.weights[y][k]
                }
                output[y * currentWidth + x] = clip8(sum)
            }
        }
        return output
    }
}
