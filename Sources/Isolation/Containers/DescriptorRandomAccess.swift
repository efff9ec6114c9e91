import BlindfoldCore
import Evidence
import Glibc

/// Random access, in a container worker, to an evidence file the scanner opened: `pread` on
/// the read-only descriptor it handed over (``DescriptorPassing``), never a path. Owns the
/// descriptor and closes it when the parser is done.
final class DescriptorRandomAccess: RandomAccessInput {
    private let descriptor: Int32
    let size: Int64
    /// Sees every block read (the worker's progress frames, and test-only fault injection).
    private let observer: (UnsafeRawBufferPointer) -> Void

    /// Takes ownership of `descriptor`, which must be open read-only.
    ///
    /// - Throws: ``ItemReadError`` (and closes it) for a descriptor open for writing.
    init(descriptor: Int32, size: Int64, observer: @escaping (UnsafeRawBufferPointer) -> Void) throws(ItemReadError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, flags & O_ACCMODE == O_RDONLY else {
            close(descriptor)
            throw ItemReadError(status: .unsupported, reason: "the parser's worker was handed a descriptor that is not read-only: refused")
        }
        self.descriptor = descriptor
        self.size = size
        self.observer = observer
    }

    deinit { close(descriptor) }

    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard offset >= 0, offset < size, let base = buffer.baseAddress else { return 0 }
        let wanted = Int(min(Int64(buffer.count), size - offset))
        while true {
            let count = pread(descriptor, base, wanted, off_t(offset))
            if count >= 0 {
                observer(UnsafeRawBufferPointer(start: base, count: count))
                return count
            }
            if errno == EINTR { continue }
            throw ItemReadError(status: .unreadable, reason: "read failed (\(String(cString: strerror(errno))))")
        }
    }
}
