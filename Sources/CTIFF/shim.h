#include <stdarg.h>
#include <tiffio.h>

// libtiff reports problems through process-wide handlers that print to stderr; item-derived
// text must never reach the terminal, so both are silenced once (idempotent).
static inline void ctiff_silence(void) {
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

// TIFFGetField is variadic, which Swift cannot call.
static inline int ctiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *value) {
    return TIFFGetField(tif, tag, value);
}

// The same for tags whose value is a 16-bit integer (BitsPerSample, SamplesPerPixel, Photometric).
// TIFFGetFieldDefaulted: a tag left out takes the value the specification gives it.
static inline int ctiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value);
}
