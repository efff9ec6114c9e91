/// PDQ's downsampling along one axis, folded into weights.
///
/// The reference blurs the whole image with two passes of a box filter per axis (Jarosz's
/// tent), then keeps 64 samples per axis. Both steps are linear, so the value at each of the 64
/// sampled positions is a fixed weighted sum of the input along that axis. This type computes
/// those weights, so a 12-megapixel photo costs one multiply-add per pixel instead of four full
/// filter passes, with the same result up to float rounding.
struct TentSampling {
    /// For sample `i`: the first input index it reads.
    let starts: [Int]
    /// For sample `i`: its weights, for inputs `starts[i] ..< starts[i] + weights[i].count`.
    let weights: [[Float]]

    /// The 64 samples of an axis `length` pixels long (`length` ≥ 1).
    init(length: Int, samples: Int = 64) {
        // The reference's window: ceil(length / 128); output k averages the clipped window
        // [k - (w - h), k + h - 1] with h = (w + 2) / 2.
        let window = (length + 2 * samples - 1) / (2 * samples)
        let half = (window + 2) / 2
        func span(_ k: Int) -> ClosedRange<Int> { max(0, k - (window - half))...min(length - 1, k + half - 1) }

        var starts: [Int] = []
        var weights: [[Float]] = []
        for sample in 0..<samples {
            // The reference samples the blurred image at the centre of each output cell.
            let centre = Int((Double(sample) + 0.5) * Double(length) / Double(samples))
            let outer = span(centre)
            let first = span(outer.lowerBound).lowerBound
            let last = span(outer.upperBound).upperBound
            var accumulated = [Double](repeating: 0, count: last - first + 1)
            let outerWeight = 1.0 / Double(outer.count)
            for k in outer {
                let inner = span(k)
                let weight = outerWeight / Double(inner.count)
                for index in inner { accumulated[index - first] += weight }
            }
            starts.append(first)
            weights.append(accumulated.map { Float($0) })
        }
        self.starts = starts
        self.weights = weights
    }
}
