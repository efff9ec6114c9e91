import BlindfoldCore

/// Digests computed again through the plugin API (the same plugins a scan runs), for `verify`
/// and `report`: no second implementation of a digest.
enum RecomputedDigests {
    /// The values `plugins` give for the bytes `read` hands over chunk by chunk (it returns the
    /// bytes it put in the buffer, 0 at the end, nil when reading failed), or nil when reading
    /// failed or a plugin failed.
    static func compute(
        plugins: [any HashPlugin], item: ItemContext, read: (UnsafeMutableRawBufferPointer) -> Int?
    ) -> [HashOutput]? {
        let sessions = plugins.filter { $0.descriptor.applies(to: item) }.compactMap { $0.makeSession(for: item) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            guard let count = read(buffer) else { return nil }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            for session in sessions { session.update(chunk) }
        }
        var outputs: [HashOutput] = []
        for session in sessions {
            switch session.finish() {
            case .values(let values): outputs += values
            case .notApplicable: continue
            case .failure: return nil
            }
        }
        return outputs
    }
}
