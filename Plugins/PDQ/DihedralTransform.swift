/// The eight rotations and reflections of an image, applied to PDQ's 16x16 DCT block: each is
/// a transpose and/or sign flips of odd frequencies, so no pixel is touched again.
enum DihedralTransform: CaseIterable {
    case original, rotate90, rotate180, rotate270, flipX, flipY, transpose, antiTranspose

    /// The block of the transformed image, from the block `a` of the original (row-major 16x16).
    func apply(_ a: [Float]) -> [Float] {
        var b = [Float](repeating: 0, count: 256)
        for i in 0..<16 {
            for j in 0..<16 {
                let value = a[i * 16 + j]
                switch self {
                case .original: b[i * 16 + j] = value
                case .rotate90: b[j * 16 + i] = j & 1 == 1 ? value : -value
                case .rotate180: b[i * 16 + j] = (i + j) & 1 == 1 ? -value : value
                case .rotate270: b[j * 16 + i] = i & 1 == 1 ? value : -value
                case .flipX: b[i * 16 + j] = i & 1 == 1 ? value : -value
                case .flipY: b[i * 16 + j] = j & 1 == 1 ? value : -value
                case .transpose: b[j * 16 + i] = value
                case .antiTranspose: b[j * 16 + i] = (i + j) & 1 == 1 ? -value : value
                }
            }
        }
        return b
    }
}
