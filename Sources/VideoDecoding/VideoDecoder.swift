import CAVFormat
import ImageDecoding

/// One video opened with FFmpeg from a ``VideoByteSource``: the container, its first video
/// stream (the reference's choice) and that stream's decoder. The only code that owns an
/// `AVFormatContext`, `AVCodecContext`, `AVPacket` or `AVFrame`; not shared between threads
/// (a decoder worker makes one per item).
public final class VideoDecoder {
    /// The stream facts recorded for the video.
    public let info: VideoInfo
    private let input: CustomInput
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let streamIndex: Int32
    /// Frames the decoder returned so far (sampled or not).
    public private(set) var framesDecoded = 0

    /// How decoding ended.
    public enum End: Sendable, Hashable {
        /// Every packet was read and the decoder drained.
        case complete
        /// The data ended or broke before the container said it would, or packets failed to
        /// decode; the frames before (and between) were decoded. `errors` counts the packets and
        /// frames the decoder refused, `readFailed` says the source itself failed.
        case damaged(errors: Int, readFailed: Bool)
        /// The caller stopped it.
        case stopped
    }

    /// Opens `source` and its first video stream's decoder.
    ///
    /// - Parameter maxPixels: frames declaring more pixels are refused (``VideoDecodeError/tooLarge(pixels:limit:)``).
    public init(source: any VideoByteSource, maxPixels: Int) throws(VideoDecodeError) {
        // FFmpeg's log lines can quote the file's metadata; nothing of the file may reach a log.
        av_log_set_level(AV_LOG_QUIET)
        guard let input = CustomInput(source) else { throw .outOfMemory }
        self.input = input
        guard var context = avformat_alloc_context() else { throw .outOfMemory }
        context.pointee.pb = input.context
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        // On failure avformat_open_input frees the context (not the custom I/O, freed by `input`).
        guard avformat_open_input(&opened, nil, nil, nil) == 0, let openedContext = opened else { throw .unrecognised }
        context = openedContext
        format = context
        guard avformat_find_stream_info(context, nil) >= 0 else {
            avformat_close_input(&format)
            throw .unrecognised
        }
        var found: (index: Int32, stream: UnsafeMutablePointer<AVStream>)?
        for index in 0..<Int(context.pointee.nb_streams) {
            if let stream = context.pointee.streams[index], let parameters = stream.pointee.codecpar,
               parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO {
                found = (Int32(index), stream)
                break
            }
        }
        do throws(VideoDecodeError) {
            guard let (index, stream) = found, let parameters = stream.pointee.codecpar else { throw .noVideoStream }
            streamIndex = index
            let width = Int(parameters.pointee.width), height = Int(parameters.pointee.height)
            guard width > 0, height > 0 else { throw .invalidStream("a zero width or height") }
            guard width.multipliedReportingOverflow(by: height).partialValue <= maxPixels, width <= 1 << 16, height <= 1 << 16
            else { throw .tooLarge(pixels: width * height, limit: maxPixels) }
            let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else { throw .noDecoder(codec: codecName) }
            guard let codecContext = avcodec_alloc_context3(decoder) else { throw .outOfMemory }
            codec = codecContext
            guard avcodec_parameters_to_context(codecContext, parameters) >= 0 else { throw .invalidStream("codec parameters FFmpeg cannot use") }
            // One thread: a worker is one core's share; threading changes no decoded frame.
            codecContext.pointee.thread_count = 1
            guard avcodec_open2(codecContext, decoder, nil) >= 0 else { throw .noDecoder(codec: codecName) }
            var rate = stream.pointee.avg_frame_rate
            if rate.num == 0 || rate.den == 0 { rate = stream.pointee.r_frame_rate }
            guard rate.num > 0, rate.den > 0 else { throw .invalidStream("a frame rate of zero") }
            // The video stream's own duration when the container gives one (the container's
            // may include a longer audio track), else the container's.
            let streamDuration = stream.pointee.duration, timeBase = stream.pointee.time_base
            let containerDuration = context.pointee.duration
            let milliseconds: Int? =
                if streamDuration > 0, streamDuration != CAV_NOPTS_VALUE, timeBase.num > 0, timeBase.den > 0 {
                    Self.milliseconds(Double(streamDuration) * Double(timeBase.num) / Double(timeBase.den) * 1000)
                } else if containerDuration > 0, containerDuration != CAV_NOPTS_VALUE {
                    Int(containerDuration / 1000)
                } else {
                    nil
                }
            let containerName = context.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"
            info = VideoInfo(
                codec: codecName, container: containerName, width: width, height: height,
                durationMilliseconds: milliseconds,
                frameRateNumerator: Int(rate.num), frameRateDenominator: Int(rate.den))
        } catch {
            avcodec_free_context(&codec)
            avformat_close_input(&format)
            throw error
        }
    }

    /// A duration from the file as whole milliseconds; nil when it is not a sane number (the
    /// file may declare anything, and converting an out-of-range double would trap).
    public static func milliseconds(_ value: Double) -> Int? {
        value.isFinite && value >= 0 && value < 1e15 ? Int(value) : nil
    }

    deinit {
        avcodec_free_context(&codec)
        avformat_close_input(&format)
    }

    /// Decodes the whole stream in order; every frame `sampling` picks is converted to RGB24
    /// at the declared size (as the reference converts it) and handed to `body` with its number.
    /// Frames not picked are never converted. `body` returns false to stop.
    public func decode(sampling: FrameSampling, frame body: (_ number: Int, _ image: DecodedImage) -> Bool) -> End {
        guard let format, let codec, let converter = RGBConverter(width: info.width, height: info.height),
              let packet = av_packet_alloc()
        else { return .damaged(errors: 1, readFailed: false) }
        defer {
            var owned: UnsafeMutablePointer<AVPacket>? = packet
            av_packet_free(&owned)
        }
        guard let frame = av_frame_alloc() else { return .damaged(errors: 1, readFailed: false) }
        defer {
            var owned: UnsafeMutablePointer<AVFrame>? = frame
            av_frame_free(&owned)
        }
        var errors = 0
        var readError = false
        /// Sends one packet (nil: flush) and takes every frame the decoder returns; false to stop.
        func feed(_ packet: UnsafeMutablePointer<AVPacket>?) -> Bool {
            if avcodec_send_packet(codec, packet) < 0 { errors += 1 }
            while true {
                let received = avcodec_receive_frame(codec, frame)
                if received == CAV_ERROR_EAGAIN || received == CAV_ERROR_EOF { return true }
                if received < 0 {
                    errors += 1
                    return true
                }
                // The reference numbers frames by the decoder's count of frames returned, from 0.
                let number = Int(cav_codec_frame_number(codec)) - 1
                framesDecoded = number + 1
                defer { av_frame_unref(frame) }
                guard sampling.samples(number) else { continue }
                guard let image = converter.convert(frame) else {
                    errors += 1
                    continue
                }
                if !body(number, image) { return false }
            }
        }
        while true {
            let read = av_read_frame(format, packet)
            if read < 0 {
                if read != CAV_ERROR_EOF { readError = true }
                break
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            if !feed(packet) { return .stopped }
        }
        // The reference drains the decoder with the packet it just unreferenced, whose stream
        // index is then 0: the delayed last frames are decoded only when the video is stream 0.
        // Kept for identical frame lists (docs/VIDEO.md).
        if streamIndex == 0, !feed(nil) { return .stopped }
        let failed = input.readFailed
        return errors == 0 && !failed && !readError ? .complete : .damaged(errors: errors, readFailed: failed)
    }
}
