import BlindfoldCore
import CBFIO

/// libbfio handles over ``RandomAccessInput``s: the thin wrapper around CBFIO, and the only
/// code that touches libbfio's pointers. libewf, libvhdi and libvmdk read the image through
/// these, never through a path they open themselves, so the evidence is read only through the
/// scanner's read-only descriptors (or memory).
///
/// Not `Sendable`: one worker owns an image from opening to closing.
final class BFIOSource {
    /// The bytes behind one handle, kept alive while any handle reads them.
    private final class Box {
        let input: any RandomAccessInput
        init(_ input: any RandomAccessInput) { self.input = input }
    }

    private var boxes: [Box] = []

    /// A read-only libbfio handle over `input`, for a library that takes one handle; the
    /// caller frees it with ``free(_:)`` after the library let go of it.
    func handle(over input: any RandomAccessInput) throws(ItemReadError) -> UnsafeMutablePointer<Int> {
        let box = Box(input)
        boxes.append(box)
        guard let handle = cbfio_handle_new(Unmanaged.passUnretained(box).toOpaque(), input.size, Self.readAt) else {
            throw ItemReadError(status: .unreadable, reason: "the image's reader could not be set up (out of memory)")
        }
        return handle
    }

    /// Frees a handle made by ``handle(over:)``.
    func free(_ handle: UnsafeMutablePointer<Int>) {
        cbfio_handle_free(handle)
    }

    /// A pool of read-only handles over `inputs`, in order; the caller frees it with
    /// ``free(pool:)`` after the library let go of it.
    func pool(over inputs: [any RandomAccessInput]) throws(ItemReadError) -> UnsafeMutablePointer<Int> {
        guard let pool = cbfio_pool_new() else {
            throw ItemReadError(status: .unreadable, reason: "the image's reader could not be set up (out of memory)")
        }
        for input in inputs {
            let handle: UnsafeMutablePointer<Int>
            do throws(ItemReadError) {
                handle = try self.handle(over: input)
            } catch {
                cbfio_pool_free(pool)
                throw error
            }
            guard cbfio_pool_append(pool, handle) == 1 else {
                cbfio_pool_free(pool)
                throw ItemReadError(status: .unreadable, reason: "the image's reader could not be set up (out of memory)")
            }
        }
        return pool
    }

    /// Frees a pool made by ``pool(over:)`` and its handles.
    func free(pool: UnsafeMutablePointer<Int>) {
        cbfio_pool_free(pool)
    }

    private static let readAt: @convention(c) (
        UnsafeMutableRawPointer?, Int64, UnsafeMutablePointer<UInt8>?, Int
    ) -> Int = { context, offset, buffer, size in
        guard let context, let buffer else { return -1 }
        let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
        do throws(ItemReadError) {
            return try box.input.read(at: offset, into: UnsafeMutableRawBufferPointer(start: buffer, count: size))
        } catch {
            return -1
        }
    }
}
