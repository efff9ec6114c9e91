// FFmpeg's demuxers, decoders and scaler (Debian libavformat-dev, libavcodec-dev, libswscale-dev,
// libavutil-dev). Only Sources/VideoDecoding touches these.
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <errno.h>

// Function-like macros do not import: the values the wrapper needs, as constants.
static const int CAV_ERROR_EOF = AVERROR_EOF;
static const int CAV_ERROR_EAGAIN = AVERROR(EAGAIN);
static const int CAV_ERROR_EINVAL = AVERROR(EINVAL);
static const int CAV_SEEK_SIZE = AVSEEK_SIZE;
static const int CAV_SEEK_FORCE = AVSEEK_FORCE;
static const int64_t CAV_NOPTS_VALUE = AV_NOPTS_VALUE;
static const int CAV_TIME_BASE = AV_TIME_BASE;

// libavcodec 60 renamed AVCodecContext.frame_number to frame_num; the reference numbers frames
// by this counter, so read it through one name whatever the installed version.
static inline int64_t cav_codec_frame_number(const AVCodecContext *context) {
#if LIBAVCODEC_VERSION_MAJOR >= 60
    return context->frame_num;
#else
    return context->frame_number;
#endif
}

// sws_scale from a decoded frame into one packed RGB24 plane (the frame's plane pointers are a
// fixed-size C array that Swift sees as a tuple).
static inline int cav_scale_frame_to_rgb24(struct SwsContext *scaler, const AVFrame *frame,
                                           uint8_t *target, int targetStride) {
    uint8_t *planes[4] = {target, NULL, NULL, NULL};
    int strides[4] = {targetStride, 0, 0, 0};
    return sws_scale(scaler, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
                     planes, strides);
}
