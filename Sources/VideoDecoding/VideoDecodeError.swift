import BlindfoldCore

/// Why a video could not be opened or decoded; the reason never quotes the file's bytes.
public enum VideoDecodeError: Error, Sendable, Hashable {
    /// FFmpeg recognises no container in the bytes.
    case unrecognised
    /// The container has no video stream (an audio-only file, say).
    case noVideoStream
    /// The stream's codec has no decoder in this FFmpeg build; the codec's short name.
    case noDecoder(codec: String)
    /// The stream declares a zero width, height or frame rate.
    case invalidStream(String)
    /// The declared picture is larger than the limit (pixels).
    case tooLarge(pixels: Int, limit: Int)
    /// FFmpeg could not allocate what it needed.
    case outOfMemory

    /// The status word for `plugin_errors`.
    public var status: ItemStatus {
        switch self {
        case .unrecognised, .invalidStream: .corrupt
        case .noVideoStream, .noDecoder: .unsupported
        case .tooLarge: .limit
        case .outOfMemory: .limit
        }
    }

    /// A sentence naming the problem.
    public var reason: String {
        switch self {
        case .unrecognised: "FFmpeg recognises no video container in the bytes"
        case .noVideoStream: "the container holds no video stream"
        case .noDecoder(let codec): "this FFmpeg build has no decoder for the codec \(codec)"
        case .invalidStream(let what): "the video stream declares \(what)"
        case .tooLarge(let pixels, let limit): "the video's frames have \(pixels) pixels, more than the limit of \(limit)"
        case .outOfMemory: "FFmpeg could not allocate memory for the video"
        }
    }
}
