#include <png.h>

// PNG_IMAGE_SIZE and friends are function-like macros, which do not import.
static inline size_t cpng_row_stride(const png_image *image) {
    return (size_t)PNG_IMAGE_ROW_STRIDE(*image);
}
