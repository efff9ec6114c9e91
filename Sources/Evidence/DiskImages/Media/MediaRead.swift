import BlindfoldCore

/// The one shape of a media read through libewf, libvhdi or libvmdk: nothing outside the
/// media, at most what is left of it, and a failure in the library as a `corrupt` error that
/// names the format and the offset only.
enum MediaRead {
    /// Calls `read(base, count)` for the part of `buffer` the media at `offset` can fill.
    static func read(
        at offset: Int64, into buffer: UnsafeMutableRawBufferPointer, size: Int64, format: String,
        _ read: (UnsafeMutableRawPointer, Int) -> Int
    ) throws(ItemReadError) -> Int {
        guard offset >= 0, offset < size, let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        let count = read(base, Int(min(Int64(buffer.count), size - offset)))
        guard count >= 0 else {
            throw ItemReadError(status: .corrupt, reason: "the \(format) image's media could not be read at byte \(offset)")
        }
        return count
    }
}
