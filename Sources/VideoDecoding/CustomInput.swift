import CAVFormat
import Glibc

/// FFmpeg's custom I/O (`AVIOContext`) over a ``VideoByteSource``: FFmpeg pulls 64 KiB at a
/// time through the read and seek callbacks below, so a video is never opened by path and never
/// held whole by the decoder. The only code that owns an `AVIOContext`.
final class CustomInput {
    /// The I/O buffer FFmpeg fills through the callbacks.
    static let bufferSize = 64 << 10

    /// The context to set as `AVFormatContext.pb`.
    let context: UnsafeMutablePointer<AVIOContext>
    /// Where the bytes come from, and how far FFmpeg has read.
    private let cursor: Cursor

    /// The source and the read position, handed to the C callbacks as their opaque pointer.
    final class Cursor {
        let source: any VideoByteSource
        var position: Int64 = 0
        /// True once a read failed (an I/O error, not the end of the data).
        var failed = false
        init(_ source: any VideoByteSource) { self.source = source }
    }

    /// An I/O context reading `source`; nil when FFmpeg cannot allocate one.
    init?(_ source: any VideoByteSource) {
        cursor = Cursor(source)
        guard let buffer = av_malloc(Self.bufferSize) else { return nil }
        let opaque = Unmanaged.passUnretained(cursor).toOpaque()
        guard let context = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Int32(Self.bufferSize), 0, opaque, readPacket, nil, seek)
        else {
            av_free(buffer)
            return nil
        }
        self.context = context
    }

    /// True when a read of the source failed (as opposed to the data simply ending).
    var readFailed: Bool { cursor.failed }

    deinit {
        // FFmpeg may have replaced the buffer it was given; free the one it holds now.
        let owned = self.context
        av_freep(&owned.pointee.buffer)
        var context: UnsafeMutablePointer<AVIOContext>? = owned
        avio_context_free(&context)
    }
}

/// `read_packet`: the next bytes from the cursor's position, or AVERROR_EOF at the end.
private let readPacket: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
    opaque, buffer, size in
    guard let opaque, let buffer, size > 0 else { return CAV_ERROR_EINVAL }
    let cursor = Unmanaged<CustomInput.Cursor>.fromOpaque(opaque).takeUnretainedValue()
    guard let got = cursor.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(size)), at: cursor.position)
    else {
        cursor.failed = true
        return CAV_ERROR_EOF
    }
    guard got > 0 else { return CAV_ERROR_EOF }
    cursor.position += Int64(got)
    return Int32(got)
}

/// `seek`: moves the cursor (SEEK_SET, SEEK_CUR, SEEK_END), or answers the size (AVSEEK_SIZE).
private let seek: @convention(c) (UnsafeMutableRawPointer?, Int64, Int32) -> Int64 = { opaque, offset, whence in
    guard let opaque else { return Int64(CAV_ERROR_EINVAL) }
    let cursor = Unmanaged<CustomInput.Cursor>.fromOpaque(opaque).takeUnretainedValue()
    let size = cursor.source.size
    let target: Int64
    switch whence & ~CAV_SEEK_FORCE {
    case CAV_SEEK_SIZE: return size
    case SEEK_SET: target = offset
    case SEEK_CUR: target = cursor.position &+ offset
    case SEEK_END: target = size &+ offset
    default: return Int64(CAV_ERROR_EINVAL)
    }
    guard target >= 0, target <= size else { return Int64(CAV_ERROR_EINVAL) }
    cursor.position = target
    return target
}
