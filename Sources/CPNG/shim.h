#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// libpng's classic API reports errors with longjmp, which Swift cannot host; this whole decode
// lives in C, and Swift only sees its result. It applies no gamma correction (Pillow, the PDQ
// reference's decoder, applies none either), expands palettes, low bit depths and tRNS, takes the
// high byte of 16-bit colour samples and clips 16-bit grey to 255 (what Pillow's conversion of a
// 16-bit grey image does).

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
    int ran_out;
} cpng_source;

typedef struct {
    uint32_t width;
    uint32_t height;
    int channels;  // 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (8 bits each)
    int status;    // 0 decoded, 1 damaged, 2 data ends early, 3 over a limit, 4 out of memory
} cpng_result;

static inline void cpng_read(png_structp png, png_bytep out, size_t length) {
    cpng_source *source = (cpng_source *)png_get_io_ptr(png);
    if (source->size - source->offset < length) {
        source->ran_out = 1;
        png_error(png, "read beyond end of data");
    }
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static inline void cpng_on_error(png_structp png, png_const_charp message) {
    (void)message;
    png_longjmp(png, 1);
}

static inline void cpng_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

// Decodes `data`; on success `*pixels` is a malloc'd buffer of width*height*channels bytes the
// caller frees. Images over `max_pixels` or with a side over `max_side` are refused after the
// header, before any pixel is allocated.
static inline void cpng_decode(const unsigned char *data, size_t size, uint64_t max_pixels, uint32_t max_side,
                               cpng_result *result, unsigned char **pixels) {
    cpng_source source = {data, size, 0, 0};
    *pixels = NULL;
    result->status = 4;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, cpng_on_error, cpng_on_warning);
    if (!png) return;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return;
    }
    unsigned char *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    volatile int limited = 0;
    if (setjmp(png_jmpbuf(png))) {
        free(buffer);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        result->status = limited ? 3 : (source.ran_out ? 2 : 1);
        return;
    }
    png_set_read_fn(png, &source, cpng_read);
    png_set_user_limits(png, max_side, max_side);
    png_set_chunk_malloc_max(png, 64u << 20);
    png_read_info(png, info);
    uint32_t width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    result->width = width;
    result->height = height;
    if ((uint64_t)width * height > max_pixels) {
        limited = 1;
        png_error(png, "limit");
    }
    int colour = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    int grey16 = depth == 16 && colour == PNG_COLOR_TYPE_GRAY;
    if (!grey16) {
        png_set_expand(png);
        png_set_strip_16(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    int channels = png_get_channels(png, info);
    buffer = (unsigned char *)malloc(row_bytes * (size_t)height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * (size_t)height);
    if (!buffer || !rows) {
        limited = 1;
        png_error(png, "memory");
    }
    for (uint32_t row = 0; row < height; row++) rows[row] = buffer + (size_t)row * row_bytes;
    png_read_image(png, rows);
    if (grey16) {
        // Big-endian 16-bit samples to 8 bits, clipped: anything above 255 is white.
        size_t count = (size_t)width * height;
        for (size_t index = 0; index < count; index++) {
            unsigned char high = buffer[2 * index], low = buffer[2 * index + 1];
            buffer[index] = high ? 255 : low;
        }
        channels = 1;
    }
    free(rows);
    rows = NULL;
    png_destroy_read_struct(&png, &info, NULL);
    result->channels = channels;
    result->status = 0;
    *pixels = buffer;
}
