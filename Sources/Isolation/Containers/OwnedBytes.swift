/// Bytes at a stable address that this worker owns: a parser keeps pointers into the block it
/// was handed until its next call, and into a container held in memory for its whole life, so
/// these cannot be array storage that moves. The only raw allocation of the container worker.
final class OwnedBytes {
    private let storage: UnsafeMutableRawBufferPointer

    /// `count` zeroed bytes.
    init(count: Int) {
        storage = .allocate(byteCount: max(count, 0), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// A copy of `bytes`.
    init(_ bytes: ArraySlice<UInt8>) {
        storage = .allocate(byteCount: bytes.count, alignment: 16)
        storage.copyBytes(from: bytes)
    }

    deinit { storage.deallocate() }

    /// All the bytes, read-only.
    var view: UnsafeRawBufferPointer { UnsafeRawBufferPointer(storage) }

    /// The first `count` bytes (at most all of them), to be written into.
    func prefix(_ count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: storage[0..<min(max(count, 0), storage.count)])
    }
}
