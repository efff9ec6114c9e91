// libbfio, as Blindfold uses it: handles whose bytes come from a read-at callback (a read-only
// descriptor or memory on the Swift side), never from a path libbfio opens itself. Only
// Evidence/DiskImages/Media/BFIOInput.swift touches these pointers.
//
// The handles refuse every access but reading: open fails for any write or truncate flag, and
// the write callback always fails.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define HAVE_LIBBFIO 1
#include <libbfio.h>

// Reads up to `size` bytes at `offset` into `buffer`: the count, 0 at the end, -1 on failure.
typedef long (*cbfio_read_at_fn)(void *context, int64_t offset, uint8_t *buffer, size_t size);

// The state behind one handle (libbfio's "io_handle").
typedef struct {
    void *context;
    cbfio_read_at_fn read_at;
    int64_t size;
    int64_t position;
    int is_open;
} cbfio_io;

static int cbfio_free_io(intptr_t **io, libbfio_error_t **error) {
    (void)error;
    if (io != NULL && *io != NULL) {
        free(*io);
        *io = NULL;
    }
    return 1;
}

// A clone reads the same bytes from its own position.
static int cbfio_clone_io(intptr_t **destination, intptr_t *source, libbfio_error_t **error) {
    (void)error;
    if (destination == NULL) return -1;
    if (source == NULL) {
        *destination = NULL;
        return 1;
    }
    cbfio_io *copy = calloc(1, sizeof(cbfio_io));
    if (copy == NULL) return -1;
    memcpy(copy, source, sizeof(cbfio_io));
    copy->position = 0;
    copy->is_open = 0;
    *destination = (intptr_t *)copy;
    return 1;
}

static int cbfio_open_io(intptr_t *io, int flags, libbfio_error_t **error) {
    (void)error;
    if (io == NULL || (flags & ~LIBBFIO_ACCESS_FLAG_READ) != 0) return -1;
    ((cbfio_io *)io)->is_open = 1;
    ((cbfio_io *)io)->position = 0;
    return 1;
}

static int cbfio_close_io(intptr_t *io, libbfio_error_t **error) {
    (void)error;
    if (io == NULL) return -1;
    ((cbfio_io *)io)->is_open = 0;
    return 0;
}

static ssize_t cbfio_read_io(intptr_t *io, uint8_t *buffer, size_t size, libbfio_error_t **error) {
    (void)error;
    cbfio_io *state = (cbfio_io *)io;
    if (state == NULL || buffer == NULL) return -1;
    size_t filled = 0;
    while (filled < size && state->position < state->size) {
        long count = state->read_at(state->context, state->position, buffer + filled, size - filled);
        if (count < 0) return -1;
        if (count == 0) break;
        filled += (size_t)count;
        state->position += count;
    }
    return (ssize_t)filled;
}

static ssize_t cbfio_write_io(intptr_t *io, const uint8_t *buffer, size_t size, libbfio_error_t **error) {
    (void)io;
    (void)buffer;
    (void)size;
    (void)error;
    return -1;
}

static off64_t cbfio_seek_io(intptr_t *io, off64_t offset, int whence, libbfio_error_t **error) {
    (void)error;
    cbfio_io *state = (cbfio_io *)io;
    if (state == NULL) return -1;
    int64_t target;
    switch (whence) {
    case SEEK_SET: target = offset; break;
    case SEEK_CUR: target = state->position + offset; break;
    case SEEK_END: target = state->size + offset; break;
    default: return -1;
    }
    if (target < 0) return -1;
    state->position = target;
    return target;
}

static int cbfio_exists_io(intptr_t *io, libbfio_error_t **error) {
    (void)error;
    return io != NULL ? 1 : 0;
}

static int cbfio_is_open_io(intptr_t *io, libbfio_error_t **error) {
    (void)error;
    return io != NULL && ((cbfio_io *)io)->is_open ? 1 : 0;
}

static int cbfio_get_size_io(intptr_t *io, size64_t *size, libbfio_error_t **error) {
    (void)error;
    if (io == NULL || size == NULL) return -1;
    *size = (size64_t)((cbfio_io *)io)->size;
    return 1;
}

// A read-only handle of `size` bytes whose reads call `read_at(context, ...)`; NULL on failure.
// Free it with cbfio_handle_free, unless a pool took it.
static inline libbfio_handle_t *cbfio_handle_new(void *context, int64_t size, cbfio_read_at_fn read_at) {
    cbfio_io *io = calloc(1, sizeof(cbfio_io));
    if (io == NULL) return NULL;
    io->context = context;
    io->read_at = read_at;
    io->size = size;
    libbfio_handle_t *handle = NULL;
    if (libbfio_handle_initialize(
            &handle, (intptr_t *)io, cbfio_free_io, cbfio_clone_io, cbfio_open_io, cbfio_close_io, cbfio_read_io,
            cbfio_write_io, cbfio_seek_io, cbfio_exists_io, cbfio_is_open_io, cbfio_get_size_io,
            LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, NULL) != 1) {
        free(io);
        return NULL;
    }
    return handle;
}

static inline void cbfio_handle_free(libbfio_handle_t *handle) {
    if (handle != NULL) libbfio_handle_free(&handle, NULL);
}

// An empty pool; NULL on failure. Free it with cbfio_pool_free (which frees its handles).
static inline libbfio_pool_t *cbfio_pool_new(void) {
    libbfio_pool_t *pool = NULL;
    if (libbfio_pool_initialize(&pool, 0, 0, NULL) != 1) return NULL;
    return pool;
}

// Appends `handle` (the pool owns it from then on, even on failure); 1 on success.
static inline int cbfio_pool_append(libbfio_pool_t *pool, libbfio_handle_t *handle) {
    int entry = 0;
    if (libbfio_pool_append_handle(pool, &entry, handle, LIBBFIO_OPEN_READ, NULL) != 1) {
        libbfio_handle_free(&handle, NULL);
        return 0;
    }
    return 1;
}

static inline void cbfio_pool_free(libbfio_pool_t *pool) {
    if (pool != NULL) libbfio_pool_free(&pool, NULL);
}
