#include <archive.h>
#include <archive_entry.h>

/* archive_set_error is variadic and cannot be called from Swift. */
static inline void carchive_set_error(struct archive *a, int err, const char *msg) {
    archive_set_error(a, err, "%s", msg);
}
