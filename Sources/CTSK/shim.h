// The Sleuth Kit's C API, as Blindfold uses it. Only Evidence/DiskImages/TSKImage.swift and
// TSKFileSystem.swift touch these pointers.
#include <stdlib.h>
#include <tsk/libtsk.h>

// An image whose bytes come from Blindfold (a read-only descriptor or memory), never from a
// path TSK opens itself. TSK_IMG_INFO must come first: TSK treats the pointer as one.
typedef struct {
    TSK_IMG_INFO info;
    void *context;
} ctsk_external_image;

static void ctsk_external_close(TSK_IMG_INFO *image) { free(image); }
static void ctsk_external_imgstat(TSK_IMG_INFO *image, FILE *file) { (void)image; (void)file; }

// Opens an image over `read`, which receives `context` through ctsk_external_context.
// Returns NULL when allocation fails.
static inline TSK_IMG_INFO *ctsk_open_external(
    void *context, TSK_OFF_T size, unsigned int sector_size,
    ssize_t (*read)(TSK_IMG_INFO *image, TSK_OFF_T offset, char *buffer, size_t length)) {
    ctsk_external_image *image = calloc(1, sizeof(ctsk_external_image));
    if (image == NULL) return NULL;
    image->context = context;
    TSK_IMG_INFO *opened = tsk_img_open_external(image, size, sector_size, read,
                                                 ctsk_external_close, ctsk_external_imgstat);
    if (opened == NULL) free(image);
    return opened;
}

static inline void *ctsk_external_context(TSK_IMG_INFO *image) {
    return ((ctsk_external_image *)image)->context;
}

// Flag macros and enum values Swift imports awkwardly, as plain integers.
static const unsigned int CTSK_NAME_FLAG_ALLOC = TSK_FS_NAME_FLAG_ALLOC;
static const unsigned int CTSK_NAME_FLAG_UNALLOC = TSK_FS_NAME_FLAG_UNALLOC;
static const unsigned int CTSK_META_FLAG_ALLOC = TSK_FS_META_FLAG_ALLOC;
static const unsigned int CTSK_META_FLAG_UNALLOC = TSK_FS_META_FLAG_UNALLOC;
static const unsigned int CTSK_VS_PART_FLAG_ALLOC = TSK_VS_PART_FLAG_ALLOC;
